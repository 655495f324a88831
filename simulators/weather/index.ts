export { WEATHER_DEFAULTS, airAt, forecastAt, rainBetween, type WeatherModel } from './weather-model.js';
export { rainGaugeValues, anemometerValues, type RainGaugeSim } from './devices.js';
export { runSprinklerLoop, type SprinklerLoopOptions, type SprinklerLoopResult } from './sprinkler-loop.js';
export { runPaddyWeatherLoop, type PaddyWeatherOptions, type PaddyWeatherResult } from './paddy-weather-loop.js';
