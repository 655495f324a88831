import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler } from '../../auth/plugin.js';
import { AuthError } from '../../auth/errors.js';
import { visibleFarms } from '../../auth/scope.js';
import type { StoredUser } from '../../auth/types.js';
import { MissionError } from '../../missions/errors.js';
import type { FieldRecord, FieldStore } from '../../missions/field-store.js';
import type { MissionRecord, MissionStore } from '../../missions/store.js';
import type { WeatherInput } from '../../missions/weather.js';
import type { RouteLimits } from '../../missions/plan-from-route.js';
import type { VerifyThresholds } from '../../missions/verdict.js';
import type { TelemetryStore } from '../../telemetry/store.js';
import type { PublishFn } from '../../control/service.js';
import type { Clock } from '../../../lib/time.js';
import type { DroneRecord, ProductRecord } from './catalog.js';

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
    if (!f || !(await farmIdsOf(user)).includes(f.farmId)) throw new AuthError('NOT_FOUND', `no field "${id}" among your cooperative's farms`);
    return f;
  };
  return {
    o, clock, farmIdsOf, fieldFor,
    missionFor: async (user, id) => {
      const m = await o.missions.get(id);
      const farms = await farmIdsOf(user);
      if (!m || !m.farmId || !farms.includes(m.farmId)) throw new AuthError('NOT_FOUND', `no mission "${id}" among your cooperative's farms`);
      return m;
    },
    cooperativeOf: async (farmId) => (await app.auth.farms.listFarms()).find((f) => f.id === farmId)?.cooperativeId ?? undefined,
  };
}

const STATUS: Partial<Record<string, number>> = {
  WEATHER_REFUSED: 422, WEATHER_WARNINGS: 422, VERIFY_NO_LOG: 422,
  MISSION_INVALID_TRANSITION: 409, MISSION_CONFLICT: 409, MISSION_NOT_APPROVED: 409,
  ROUTE_OFF_FIELD: 422, ROUTE_SPRAYS_OUTSIDE_FIELD: 422, ROUTE_COVERAGE_TOO_LOW: 422, ROUTE_NO_SPRAY: 422, RESPRAY_NOTHING_MISSED: 422,
  MISSION_NOT_FOUND: 404, FIELD_NOT_FOUND: 404, MISSION_STORE: 500,
};

/** MissionError → 400 (field, plan, .plan problems, with every field issue), 404, 409, 422 (weather, no log). */
export function missionErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (!(err instanceof MissionError)) return errorHandler(err, req, reply);
  const status = STATUS[err.code] ?? 400;
  if (status >= 500) return errorHandler(err, req, reply);
  const ctx = err.context ?? {};
  const body: Record<string, unknown> = { error: err.code, message: err.message };
  if (err.params) body.params = err.params;
  if (Array.isArray(ctx.issues)) body.issues = ctx.issues;
  const weather = ctx.weather as { findings?: unknown } | undefined;
  if (weather && Array.isArray(weather.findings)) body.findings = weather.findings;
  return reply.status(status).send(body);
}
