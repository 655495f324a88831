export { simulateFlight, type FlightOptions, type SortieLog } from './flight.js';
export { flyMission, type FlyOptions, type FlyResult, type Publisher } from './fly.js';
export { loadRoute } from './load-route.js';
