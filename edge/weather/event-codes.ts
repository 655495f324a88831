/**
 * The codes of the weather's decisions, with the parameters each puts in `data` (beside the zone
 * mode's own, which a weather decision keeps). Same shape as control/event-codes.ts; the web app
 * translates them (`ev_<code>`); weather/README.md and edge/README.md "Weather" list them.
 */
export const WEATHER_EVENT_CODES: Readonly<Record<string, readonly string[]>> = {
  weather_skip_rain: ['rainMm', 'hours', 'skipMm', 'sensor', "…the mode's params"],
  weather_skip_forecast: ['probabilityPct', 'mm', 'hours', 'minProbabilityPct', 'minMm', "…the mode's params"],
  weather_deficit_met: ['bucketMm', 'et0Source', "…the mode's params"],
  weather_skip_no_deficit: ['bucketMm', 'et0Source', 'minDeficitMm', "…the mode's params"],
};
