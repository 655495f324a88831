import type { Db } from '../db/index.js';
import { SqlFieldStore, type FieldRecord } from './field-store.js';
import { SqlMissionStore } from './sql-store.js';
import type { TelemetryStore } from '../telemetry/store.js';
import type { PublishFn } from '../control/service.js';
import type { Clock } from '../../lib/time.js';
import type { MissionCatalog } from './catalog.js';
import type { MissionRoutesOptions } from './routes/context.js';

export interface MissionPlatformDeps {
  /** the registry database (openMissionDb); its msn_* migrations run here */
  db: Db;
  /** the cloud's telemetry store, where the as-applied log lands (verify reads it) */
  telemetry?: TelemetryStore;
  /** MissionStatus on approval, e.g. mqttPublisher(client) */
  publish?: PublishFn;
  clock?: Clock;
  /** drones and products: the cooperative's catalogue (loadMissionCatalog), or DEMO_CATALOG when seeding the demo */
  catalog: MissionCatalog;
  /** demo fields, created once if missing */
  seedFields?: FieldRecord[];
  requireWeather?: boolean;
  weather?: MissionRoutesOptions['weather'];
  verifyThresholds?: MissionRoutesOptions['verifyThresholds'];
  routeLimits?: MissionRoutesOptions['routeLimits'];
}

/** Mission route options on the SQL stores: what the web app plugin registers in production. */
export async function missionPlatform(d: MissionPlatformDeps): Promise<MissionRoutesOptions> {
  const fields = new SqlFieldStore(d.db);
  const missions = new SqlMissionStore(d.db);
  await fields.init();
  await missions.init();
  for (const f of d.seedFields ?? []) {
    if (!(await fields.get(f.id)))
      await fields.create({ createdBy: 'demo', createdAt: d.clock?.now() ?? Date.now(), ...f });
  }
  return {
    fields,
    missions,
    drones: d.catalog.drones,
    products: d.catalog.products,
    ...(d.clock ? { clock: d.clock } : {}),
    ...(d.telemetry ? { telemetry: d.telemetry } : {}),
    ...(d.publish ? { publish: d.publish } : {}),
    ...(d.requireWeather !== undefined ? { requireWeather: d.requireWeather } : {}),
    ...(d.weather ? { weather: d.weather } : {}),
    ...(d.verifyThresholds ? { verifyThresholds: d.verifyThresholds } : {}),
    ...(d.routeLimits ? { routeLimits: d.routeLimits } : {}),
  };
}
