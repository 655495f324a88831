import fp from 'fastify-plugin';
import type { Db } from '../db/index.js';
import type { FarmInfo } from '../auth/index.js';
import { missionRoutes, type MissionRoutesOptions } from './routes/index.js';
import { missionPlatform } from './platform.js';
import {
  MemoryFieldStore,
  MemoryMissionStore,
  demoRectangle,
  type FieldRecord,
  type MissionCatalog,
} from './catalog.js';
import { withMissionFeed, type MissionFeed } from './live.js';

export interface MissionsPluginOptions extends Omit<
  MissionRoutesOptions,
  'fields' | 'missions' | 'drones' | 'products'
> {
  /** drones and products: the cooperative's catalogue file, or DEMO_CATALOG in the demo */
  catalog: MissionCatalog;
  /** fields and missions in the process's database (its msn_* tables); absent = in memory */
  db?: Db;
  /** fields created once if missing (the demo's) */
  seedFields?: FieldRecord[];
  /** every plan and state change goes out live as a `mission` event (cloud/missions/live.ts) */
  feed?: MissionFeed;
}

/** One paddy of about 200 m × 100 m per farm, a few hundred metres apart, near Đại Ân 2. */
export function demoFields(farms: FarmInfo[]): FieldRecord[] {
  return farms.map((f, i) => ({
    id: `field-${f.id}`,
    farmId: f.id,
    name: `${f.name} — thửa 1`,
    boundary: demoRectangle(106.15 + i * 0.004, 9.55, 200, 100),
  }));
}

/** Spray missions: fields and missions on their stores, with the planning, approval, export and verification routes. */
export const missionsPlugin = fp<MissionsPluginOptions>(
  async (app, o) => {
    const { catalog, db, seedFields = [], feed, ...routes } = o;
    const stored = db
      ? await missionPlatform({ db, catalog, seedFields, ...(routes.clock ? { clock: routes.clock } : {}) })
      : { fields: new MemoryFieldStore(seedFields), missions: new MemoryMissionStore() };
    feed?.attach(stored.missions);
    await app.register(missionRoutes, {
      ...routes,
      ...catalog,
      fields: stored.fields,
      missions: feed ? withMissionFeed(stored.missions, feed) : stored.missions,
    });
  },
  { name: 'ruongso-missions', fastify: '5.x', dependencies: ['ruongso-auth'] },
);
