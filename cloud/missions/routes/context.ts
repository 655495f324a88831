import type { FastifyInstance } from 'fastify';
import { AuthError, visibleFarms, type StoredUser } from '../../auth/index.js';
import type { FieldRecord, FieldStore } from '../field-store.js';
import type { MissionRecord, MissionStore } from '../store.js';
import type { WeatherInput } from '../weather.js';
import type { RouteLimits } from '../plan-from-route.js';
import type { VerifyThresholds } from '../verdict.js';
import type { TelemetryStore } from '../../telemetry/store.js';
import type { PublishFn } from '../../control/service.js';
import type { Clock } from '../../../lib/time.js';
import type { DroneRecord, ProductRecord } from '../catalog.js';

export interface MissionRoutesOptions {
  fields: FieldStore;
  missions: MissionStore;
  drones: DroneRecord[];
  products: ProductRecord[];
  clock?: Clock;
  /** publishes MissionStatus on approval (QoS 1): the neighbour spray notices hang on it */
  publish?: PublishFn;
  /** where the as-applied log is (the cloud's telemetry store): needed by verify */
  telemetry?: TelemetryStore;
  /** a configured weather source, asked when an approval carries no wind/rain values */
  weather?: () => Promise<WeatherInput>;
  /**
   * refuse an approval without weather values (and without a source). Default false: a client
   * that sends none (the first web app) approves with a WEATHER_NOT_ENTERED warning on record.
   */
  requireWeather?: boolean;
  /** what an uploaded route must cover of its field and may spray beyond it (DEFAULT_ROUTE_LIMITS) */
  routeLimits?: Partial<RouteLimits>;
  /** the cooperative's pass / respray thresholds of a verification (DEFAULT_VERIFY_THRESHOLDS) */
  verifyThresholds?: Partial<VerifyThresholds>;
  /** spray window announced on approval when the request names none; default 4 h */
  sprayWindowMs?: number;
}

/** What the route files share: options and the scope checks. */
export interface MissionCtx {
  o: MissionRoutesOptions;
  clock: Clock;
  farmIdsOf(user: StoredUser): Promise<string[]>;
  fieldFor(user: StoredUser, id: string): Promise<FieldRecord>;
  missionFor(user: StoredUser, id: string): Promise<MissionRecord>;
  cooperativeOf(farmId: string | undefined): Promise<string | undefined>;
}

export function missionCtx(app: FastifyInstance, o: MissionRoutesOptions, clock: Clock): MissionCtx {
  const farmIdsOf = async (user: StoredUser) => visibleFarms(user, await app.auth.farms.listFarms()).map((x) => x.id);
  const fieldFor = async (user: StoredUser, id: string) => {
    const f = await o.fields.get(id);
    if (!f || !(await farmIdsOf(user)).includes(f.farmId))
      throw new AuthError('NOT_FOUND', `no field "${id}" among your cooperative's farms`);
    return f;
  };
  return {
    o,
    clock,
    farmIdsOf,
    fieldFor,
    missionFor: async (user, id) => {
      const m = await o.missions.get(id);
      const farms = await farmIdsOf(user);
      if (!m || !m.farmId || !farms.includes(m.farmId))
        throw new AuthError('NOT_FOUND', `no mission "${id}" among your cooperative's farms`);
      return m;
    },
    cooperativeOf: async (farmId) =>
      (await app.auth.farms.listFarms()).find((f) => f.id === farmId)?.cooperativeId ?? undefined,
  };
}
