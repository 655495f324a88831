import { RuongSoError } from '../../lib/errors.js';

export type WeatherErrorCode =
  'FORECAST_TIMEOUT' | 'FORECAST_HTTP' | 'FORECAST_UNREACHABLE' | 'FORECAST_INVALID' | 'FORECAST_TOO_LARGE';

/** Errors of the forecast providers: the gateway logs them and goes on without a forecast. */
export class WeatherError extends RuongSoError<WeatherErrorCode> {}
