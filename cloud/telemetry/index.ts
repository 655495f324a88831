import { defaultSqliteFile } from '../db/target.js';
import type { Logger } from '../../lib/log.js';
import type { CloudConfig } from '../config.js';
import { InfluxTelemetryStore } from './influx/influx-store.js';
import { SqliteTelemetryStore } from './sqlite-store.js';
import type { TelemetryStore } from './store.js';

export * from './store.js';
export { SqliteTelemetryStore } from './sqlite-store.js';
export { InfluxTelemetryStore } from './influx/influx-store.js';

export type TelemetryStoreConfig = Partial<
  Pick<
    CloudConfig,
    | 'INFLUX_URL'
    | 'INFLUX_API'
    | 'INFLUX_TOKEN'
    | 'INFLUX_ORG'
    | 'INFLUX_BUCKET'
    | 'INFLUX_DB'
    | 'INFLUX_USERNAME'
    | 'INFLUX_PASSWORD'
  >
>;

/**
 * INFLUX_URL set → InfluxDB (1.x or 2.x, detected from /ping unless INFLUX_API forces it);
 * otherwise SQLite in `${dataDir}/ruongso.sqlite`. The store is returned NOT initialised:
 * call `await store.init()` (it throws a StoreError naming what to fix).
 */
export function createTelemetryStore(
  config: TelemetryStoreConfig,
  deps: { dataDir: string; log?: Logger },
): TelemetryStore {
  if (config.INFLUX_URL) {
    return new InfluxTelemetryStore({
      url: config.INFLUX_URL,
      api: config.INFLUX_API,
      token: config.INFLUX_TOKEN,
      org: config.INFLUX_ORG,
      bucket: config.INFLUX_BUCKET,
      db: config.INFLUX_DB,
      username: config.INFLUX_USERNAME,
      password: config.INFLUX_PASSWORD,
      log: deps.log,
    });
  }
  // the file shared with the registry (telemetry tables are prefixed `telemetry_`)
  return new SqliteTelemetryStore({ file: defaultSqliteFile(deps.dataDir), log: deps.log });
}
