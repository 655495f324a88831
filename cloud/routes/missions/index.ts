import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, errorHandler, requireRole } from '../../auth/plugin.js';
import { errorResponses } from '../../auth/http.js';
import { AuthError } from '../../auth/errors.js';
import { visibleFarms } from '../../auth/scope.js';
import type { StoredUser } from '../../auth/types.js';
import { makeField } from '../../missions/field.js';
import { planMission } from '../../missions/planner.js';
import { planToGeoJson } from '../../missions/export-geojson.js';
import { planToKml } from '../../missions/export-kml.js';
import { planToQgc } from '../../missions/qgc-plan.js';
import { MissionError } from '../../missions/errors.js';
import type { Plan } from '../../missions/types.js';
import { newMissionId, type DroneRecord, type FieldRecord, type FieldStore, type MissionRecord, type MissionStore, type ProductRecord } from './catalog.js';
import type { Clock } from '../../../lib/time.js';
import { systemClock } from '../../../lib/time.js';

export interface MissionRoutesOptions {
  fields: FieldStore;
  missions: MissionStore;
  drones: DroneRecord[];
  products: ProductRecord[];
  clock?: Clock;
}

const PLANNERS = ['technician', 'admin'] as const;
const FieldView = z.object({ id: z.string(), farmId: z.string(), name: z.string(), boundary: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }) });
const MissionView = z.object({
  id: z.string(), fieldId: z.string(), status: z.enum(['planned', 'approved']), warnings: z.array(z.string()),
  metrics: z.object({ fieldAreaHa: z.number(), sprayableAreaHa: z.number(), pathLengthM: z.number(), litres: z.number(), sorties: z.number(), coverage: z.number(), overspray: z.number(), sprayTimeS: z.number(), totalTimeS: z.number() }),
  legs: z.array(z.object({ kind: z.string(), sortie: z.number(), coordinates: z.array(z.array(z.number())) })),
  createdBy: z.string(), approvedBy: z.string().optional(),
});
const DroneView = z.object({ id: z.string(), name: z.string(), swathM: z.number(), tankL: z.number(), maxFlowLpm: z.number(), speedMps: z.number(), enduranceMin: z.number(), altitudeM: z.number().optional() });
const ProductView = z.object({ id: z.string(), name: z.string(), rateLPerHa: z.number(), maxWindMps: z.number() });
const PlanBody = z.object({
  fieldId: z.string().min(1).max(64), droneId: z.string().min(1).max(64), productId: z.string().min(1).max(64),
  rateLPerHa: z.number().min(1).max(200).optional(),
  bufferM: z.number().min(0).max(100).default(0),
});
const IdParams = z.object({ id: z.string().min(1).max(64) });

function warningsOf(plan: Plan): string[] {
  const w: string[] = [];
  if (plan.metrics.coverage < 0.95) w.push(`coverage ${(plan.metrics.coverage * 100).toFixed(1)} % < 95 %: corners or narrow strips stay unsprayed`);
  if (plan.metrics.overspray > 0.1) w.push(`overspray ${(plan.metrics.overspray * 100).toFixed(1)} % of the sprayable area`);
  w.push(`fly only with wind below ${plan.product.maxWindMps} m/s and no rain forecast`);
  return w;
}

function view(m: MissionRecord) {
  const { metrics } = m.plan;
  return {
    id: m.id, fieldId: m.fieldId, status: m.status, warnings: m.warnings, createdBy: m.createdBy, approvedBy: m.approvedBy,
    metrics: { fieldAreaHa: metrics.fieldAreaHa, sprayableAreaHa: metrics.sprayableAreaHa, pathLengthM: metrics.pathLengthM, litres: metrics.litres,
      sorties: metrics.sorties, coverage: metrics.coverage, overspray: metrics.overspray, sprayTimeS: metrics.sprayTimeS, totalTimeS: metrics.totalTimeS },
    legs: m.plan.legs.map((l) => ({ kind: l.kind, sortie: l.sortie, coordinates: l.coordinates })),
  };
}

/**
 * Spray missions for technicians: fields, drone/product catalogue, plan (cloud/missions planner),
 * approve, export GeoJSON / KML / QGroundControl .plan. Farmers and officers: 403.
 */
export const missionRoutes: FastifyPluginAsyncZod<MissionRoutesOptions> = async (app, o) => {
  app.setErrorHandler((err, req, reply) => (err instanceof MissionError
    ? reply.status(400).send({ error: err.code, message: err.message })
    : errorHandler(err, req, reply)));
  const clock = o.clock ?? systemClock;
  const guard = requireRole(...PLANNERS);

  async function fieldFor(user: StoredUser, id: string): Promise<FieldRecord> {
    const f = await o.fields.get(id);
    const farms = visibleFarms(user, await app.auth.farms.listFarms()).map((x) => x.id);
    if (!f || !farms.includes(f.farmId)) throw new AuthError('NOT_FOUND', `no field "${id}" among your cooperative's farms`);
    return f;
  }
  async function missionFor(user: StoredUser, id: string): Promise<MissionRecord> {
    const m = await o.missions.get(id);
    if (!m) throw new AuthError('NOT_FOUND', `no mission "${id}"`);
    await fieldFor(user, m.fieldId);
    return m;
  }

  app.get('/api/v1/fields', {
    preHandler: guard,
    schema: { tags: ['missions'], summary: 'Fields of my cooperative\'s farms', response: { 200: z.object({ fields: z.array(FieldView) }), ...errorResponses } },
  }, async (req) => {
    const farms = visibleFarms(currentUser(req), await app.auth.farms.listFarms()).map((f) => f.id);
    return { fields: (await o.fields.list()).filter((f) => farms.includes(f.farmId)) as Array<z.infer<typeof FieldView>> };
  });

  app.get('/api/v1/missions/options', {
    preHandler: guard,
    schema: { tags: ['missions'], summary: 'Drones and products to plan with',
      response: { 200: z.object({ drones: z.array(DroneView), products: z.array(ProductView) }), ...errorResponses } },
  }, async () => ({ drones: o.drones, products: o.products }));

  app.post('/api/v1/missions', {
    preHandler: guard,
    schema: { tags: ['missions'], summary: 'Plan a spray mission', body: PlanBody, response: { 201: MissionView, ...errorResponses } },
  }, async (req, reply) => {
    const user = currentUser(req);
    const field = await fieldFor(user, req.body.fieldId);
    const drone = o.drones.find((d) => d.id === req.body.droneId);
    const product = o.products.find((p) => p.id === req.body.productId);
    if (!drone || !product) throw new AuthError('BAD_REQUEST', 'unknown drone or product');
    const { id: _d, name: _n, ...droneProfile } = drone;
    const plan = planMission({
      field: makeField({ boundary: field.boundary, name: field.name }),
      drone: droneProfile, product: { name: product.name, rateLPerHa: req.body.rateLPerHa ?? product.rateLPerHa, maxWindMps: product.maxWindMps },
      buffers: { boundaryM: req.body.bufferM, holeM: req.body.bufferM },
    });
    const m: MissionRecord = { id: newMissionId(), fieldId: field.id, farmId: field.farmId, status: 'planned', plan, warnings: warningsOf(plan), createdBy: user.username, createdAt: clock.now() };
    await o.missions.insert(m);
    const farm = (await app.auth.farms.listFarms()).find((f) => f.id === field.farmId);
    await app.auth.record(user, 'mission.plan', `mission:${m.id}`, undefined, { field: field.id, drone: drone.id, product: product.id, rateLPerHa: plan.rateLPerHa }, { farmId: field.farmId, cooperativeId: farm?.cooperativeId });
    return reply.status(201).send(view(m));
  });

  app.post('/api/v1/missions/:id/approve', {
    preHandler: guard,
    schema: { tags: ['missions'], summary: 'Approve a planned mission', params: IdParams, response: { 200: MissionView, ...errorResponses } },
  }, async (req) => {
    const user = currentUser(req);
    const m = await missionFor(user, req.params.id);
    if (m.status === 'approved') throw new AuthError('CONFLICT', 'this mission is already approved');
    const next = { ...m, status: 'approved' as const, approvedBy: user.username, approvedAt: clock.now() };
    await o.missions.update(next);
    const farm = (await app.auth.farms.listFarms()).find((f) => f.id === m.farmId);
    await app.auth.record(user, 'mission.approve', `mission:${m.id}`, { status: m.status }, { status: 'approved' }, { farmId: m.farmId, cooperativeId: farm?.cooperativeId });
    return view(next);
  });

  app.get('/api/v1/missions/:id/export.:format', {
    preHandler: guard,
    schema: {
      tags: ['missions'], summary: 'Download the plan as GeoJSON, KML or a QGroundControl .plan (sortie 1 unless ?sortie=)',
      params: IdParams.extend({ format: z.enum(['geojson', 'kml', 'plan']) }),
      querystring: z.object({ sortie: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.string(), ...errorResponses },
    },
  }, async (req, reply) => {
    const m = await missionFor(currentUser(req), req.params.id);
    const base = `mission-${m.id.slice(0, 8)}`;
    const { format } = req.params;
    const [body, type] = format === 'geojson' ? [JSON.stringify(planToGeoJson(m.plan)), 'application/geo+json']
      : format === 'kml' ? [planToKml(m.plan), 'application/vnd.google-earth.kml+xml']
      : [JSON.stringify(planToQgc(m.plan, req.query.sortie ? { sortie: req.query.sortie } : {}), null, 2), 'application/json'];
    reply.header('content-disposition', `attachment; filename="${base}.${format}"`).type(type);
    return body;
  });
};
