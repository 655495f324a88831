export { step } from './step.js';
export { executeCommand, type CommandOutcome } from './commands.js';
export { initialState, restoreState, openActuators } from './state.js';
export { pumpRules } from './interlocks.js';
export { viewSensor, sensorKey } from './sensors.js';
export * from './types.js';
