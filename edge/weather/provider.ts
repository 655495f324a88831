import type { Forecast } from './types.js';

export interface ForecastRequest {
  latDeg: number;
  lonDeg: number;
  /** how many days ahead */
  days: number;
  signal: AbortSignal;
}

/**
 * A source of hourly forecasts. Adapters turn a service's response into `Forecast` (canonical
 * units, hour starts in UTC) or throw a WeatherError; they never decide anything.
 */
export interface ForecastProvider {
  readonly name: string;
  fetch(req: ForecastRequest): Promise<Omit<Forecast, 'fetchedAt'>>;
}
