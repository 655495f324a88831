import { z } from 'zod';
import { ErrorBody, errorResponses } from '../../auth/index.js';
import { allowedActions } from '../lifecycle.js';
import type { MissionRecord } from '../store.js';
import type { FieldRecord } from '../field-store.js';
import type { Plan } from '../types.js';
import { pageQuery } from '../../http/paging.js';
import { WeatherInput } from '../weather.js';

/** Request and response schemas of the mission routes (zod → validation and OpenAPI). */
const Ring = z.array(z.array(z.number()));
export const PolygonGeom = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring) });
const MultiPolygonGeom = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring)) });
const Exclusion = z.object({ name: z.string().optional(), polygon: PolygonGeom, bufferM: z.number() });

export const FieldView = z.object({
  id: z.string(),
  farmId: z.string(),
  name: z.string(),
  boundary: PolygonGeom,
  exclusions: z.array(Exclusion).optional(),
  home: z.array(z.number()).optional(),
  areaHa: z.number().optional(),
  createdBy: z.string().optional(),
  createdAt: z.number().optional(),
});

export const FieldBody = z
  .object({
    farmId: z.string().min(1).max(64),
    name: z.string().min(1).max(100).optional(),
    geojson: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('a GeoJSON Polygon, Feature or FeatureCollection (roles field / exclusion / home)'),
    file: z.string().max(4_000_000).optional().describe('the text of a .geojson or .kml file'),
    format: z.enum(['geojson', 'kml']).optional(),
    filename: z.string().max(200).optional(),
  })
  .refine((b) => (b.geojson === undefined) !== (b.file === undefined), {
    message: 'send exactly one of geojson (an object) or file (GeoJSON or KML text)',
  });

/** a field issue ({code, params, ring, path}) or a schema issue ({path, code, params}); `message` is for logs */
const Issue = z.object({
  code: z.string(),
  path: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
  ring: z.number().optional(),
});
const Finding = z.object({
  level: z.enum(['warn', 'refuse']),
  code: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
});
/** error bodies that carry what was wrong: field issues, weather findings */
export const MissionErrorBody = ErrorBody.extend({
  params: z.record(z.string(), z.unknown()).optional(),
  issues: z.array(Issue).optional(),
  findings: z.array(Finding).optional(),
});
export const missionErrors = {
  ...errorResponses,
  400: MissionErrorBody,
  409: MissionErrorBody,
  422: MissionErrorBody,
  500: ErrorBody,
};

const Metrics = z.object({
  fieldAreaHa: z.number(),
  sprayableAreaHa: z.number(),
  pathLengthM: z.number(),
  litres: z.number(),
  sorties: z.number(),
  coverage: z.number(),
  overspray: z.number(),
  sprayTimeS: z.number(),
  totalTimeS: z.number(),
  lowerBoundM: z.number().optional(),
  ferryLengthM: z.number().optional(),
  pathRatio: z.number().optional(),
  sprayLengthM: z.number().optional(),
  turns: z.number().optional(),
  flowLpm: z.number().optional(),
  headingDeg: z.number().optional(),
  doubleDose: z.number().optional(),
  doubleDoseM2: z.number().optional(),
  ferries: z.array(z.object({ sortie: z.number(), outM: z.number(), backM: z.number() })).optional(),
});
const Weather = z.object({
  verdict: z.enum(['ok', 'warn', 'refuse']),
  findings: z.array(Finding),
  checked: z.record(z.string(), z.unknown()),
});
const HistoryEvent = z.object({
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  by: z.string(),
  at: z.number(),
  note: z.string().optional(),
  weather: Weather.optional(),
});
export const States = ['draft', 'approved', 'flown', 'verified'] as const;
const VerificationSummary = z.object({
  targetLPerHa: z.number(),
  cellM: z.number(),
  sprayableM2: z.number(),
  inTolerance: z.number(),
  missedM2: z.number(),
  underM2: z.number(),
  overM2: z.number(),
  oversprayM2: z.number(),
  litresUsed: z.number(),
  litresPlanned: z.number().nullable(),
  samples: z.number(),
  verdict: z.enum(['pass', 'respray']).optional(),
  findings: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.number()) })).optional(),
  thresholds: z.object({ minInTolerance: z.number(), maxMissedShare: z.number() }).optional(),
  missed: MultiPolygonGeom.optional(),
  underDosed: MultiPolygonGeom.optional(),
});

export const MissionWarning = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type MissionWarning = z.infer<typeof MissionWarning>;

const missionBase = {
  id: z.string(),
  fieldId: z.string(),
  farmId: z.string().optional(),
  name: z.string().optional(),
  /** `planned` is the draft state, kept for the web app written against it */
  status: z.enum(['planned', 'approved', 'flown', 'verified']),
  state: z.enum(States),
  allowedActions: z.array(z.string()),
  warnings: z.array(MissionWarning),
  metrics: Metrics,
  product: z.string(),
  droneId: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.number(),
  approvedBy: z.string().optional(),
  history: z.array(HistoryEvent),
  verification: VerificationSummary.optional(),
};
export const MissionSummary = z.object(missionBase);
export const MissionView = z.object({
  ...missionBase,
  legs: z.array(z.object({ kind: z.string(), sortie: z.number(), coordinates: z.array(z.array(z.number())) })),
  noticePublished: z.boolean().optional(),
  refillPoints: z.array(z.array(z.number())).optional(),
  /** how an uploaded route lies on its field (absent on our own plans) */
  routeCheck: z
    .object({
      distanceFromFieldM: z.number(),
      outsideM2: z.number(),
      coverage: z.number(),
      overspray: z.number(),
      doubleDose: z.number(),
    })
    .optional(),
});

const QgcPlanFile = z.union([z.string().max(2_000_000), z.record(z.string(), z.unknown())]);
export const PlanBody = z.object({
  fieldId: z.string().min(1).max(64),
  droneId: z.string().min(1).max(64),
  productId: z.string().min(1).max(64),
  rateLPerHa: z.number().min(1).max(200).optional(),
  bufferM: z.number().min(0).max(100).default(0),
  holeBufferM: z.number().min(0).max(100).optional(),
  heading: z.union([z.literal('auto'), z.number().min(0).max(360)]).optional(),
  refill: z
    .union([
      z.literal('auto'),
      z
        .array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]))
        .min(1)
        .max(1000),
    ])
    .optional()
    .describe(
      'take-off / refill points: auto (along the boundary) or reachable [lon, lat] points; each sortie uses the nearest',
    ),
  name: z.string().min(1).max(100).optional(),
  qgcPlan: z
    .union([QgcPlanFile, z.array(QgcPlanFile).min(1).max(100)])
    .optional()
    .describe(
      'a route to fly as uploaded instead of planning one: a QGroundControl .plan or QGC WPL 110 .waypoints (text or object), or a list of them, one per sortie',
    ),
});

export const ApproveBody = WeatherInput.extend({
  acceptWarnings: z.boolean().default(false),
  note: z.string().max(500).optional(),
  window: z
    .object({ start: z.number().int().positive(), end: z.number().int().positive() })
    .refine((w) => w.end > w.start, { message: 'window end must be after its start' })
    .optional(),
}).nullish();
export const FlyBody = z
  .object({
    droneId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i)
      .optional(),
    note: z.string().max(500).optional(),
  })
  .nullish();
export const VerifyBody = z
  .object({
    cellM: z.number().min(0.5).max(20).optional(),
    tolerance: z.number().min(0.01).max(1).optional(),
    minInTolerance: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("pass needs at least this share within tolerance (default: the cooperative's, else 0.9)"),
    maxMissedShare: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("pass allows at most this share missed (default: the cooperative's, else 0.02)"),
  })
  .nullish();
export const ResprayBody = z.object({ name: z.string().min(1).max(100).optional() }).nullish();
export const ListQuery = pageQuery(100).extend({
  state: z.enum(States).optional(),
  fieldId: z.string().max(64).optional(),
});
export const IdParams = z.object({ id: z.string().min(1).max(64) });
export const VerificationView = z.object({
  missionId: z.string(),
  report: VerificationSummary,
  layer: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
});

/** What the mission page warns about, as codes the web app words (listed in cloud/missions/README.md). */
export function warningsOf(plan: Plan): MissionWarning[] {
  const m = plan.metrics;
  const w: MissionWarning[] = [];
  if (m.coverage < 0.95) w.push({ code: 'PLAN_COVERAGE_LOW', params: { coverage: m.coverage, minCoverage: 0.95 } });
  if (m.overspray > 0.01) w.push({ code: 'PLAN_OVERSPRAY', params: { overspray: m.overspray, maxOverspray: 0.01 } });
  if ((m.doubleDose ?? 0) > 0.03)
    w.push({ code: 'PLAN_DOUBLE_DOSE', params: { doubleDose: m.doubleDose!, maxDoubleDose: 0.03 } });
  if (m.sorties > 1) w.push({ code: 'PLAN_SEVERAL_SORTIES', params: { sorties: m.sorties } });
  w.push({ code: 'PRODUCT_WIND_LIMIT', params: { maxWindMps: plan.product.maxWindMps, product: plan.product.name } });
  return w;
}

export function fieldView(f: FieldRecord): z.infer<typeof FieldView> {
  return f;
}

export function summaryView(m: MissionRecord): z.infer<typeof MissionSummary> {
  const created = m.lifecycle.history[0];
  const approval = [...m.lifecycle.history].reverse().find((e) => e.action === 'approve');
  const state = m.lifecycle.state;
  const { grid: _g, ...verification } = m.verification ?? { grid: undefined };
  return {
    id: m.id,
    fieldId: m.fieldId ?? '',
    farmId: m.farmId,
    name: m.name,
    status: state === 'draft' ? 'planned' : state,
    state,
    allowedActions: allowedActions(state),
    warnings: warningsOf(m.plan),
    metrics: m.plan.metrics,
    product: m.plan.product.name,
    droneId: m.droneId,
    createdBy: created?.by ?? '',
    createdAt: m.createdAt,
    approvedBy: state === 'draft' ? undefined : approval?.by,
    history: m.lifecycle.history,
    verification: m.verification ? (verification as z.infer<typeof VerificationSummary>) : undefined,
  };
}

export function missionView(m: MissionRecord, extra: { noticePublished?: boolean } = {}): z.infer<typeof MissionView> {
  return {
    ...summaryView(m),
    legs: m.plan.legs.map((l) => ({ kind: l.kind, sortie: l.sortie, coordinates: l.coordinates })),
    ...(m.plan.routeCheck ? { routeCheck: m.plan.routeCheck } : {}),
    ...(m.plan.refillPoints ? { refillPoints: m.plan.refillPoints } : {}),
    ...extra,
  };
}
