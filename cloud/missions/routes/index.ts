import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole, AuthError, type StoredUser } from '../../auth/index.js';
import { createMission } from '../missions.js';
import { fieldOf, type FieldRecord } from '../field-store.js';
import { planMission } from '../planner.js';
import { joinSorties, planFromRoute } from '../plan-from-route.js';
import { routeFromQgc } from '../qgc-plan.js';
import { wplToPlan } from '../qgc-wpl.js';
import { MissionError } from '../errors.js';
import type { Plan } from '../types.js';
import { systemClock } from '../../../lib/time.js';
import { newMissionId } from '../catalog.js';
import { missionCtx, type MissionCtx } from './context.js';
import { fieldRoutes } from './fields.js';
import { lifecycleRoutes } from './lifecycle.js';
import { exportRoutes } from './exports.js';
import { resprayRoutes } from './respray.js';
import { PageFields, pageOf, readUpTo } from '../../http/paging.js';
import {
  IdParams,
  ListQuery,
  MissionSummary,
  MissionView,
  PlanBody,
  missionErrors,
  missionView,
  summaryView,
} from './schemas.js';

export type { MissionRoutesOptions } from './context.js';

const DroneView = z.object({
  id: z.string(),
  name: z.string(),
  swathM: z.number(),
  tankL: z.number(),
  maxFlowLpm: z.number(),
  speedMps: z.number(),
  enduranceMin: z.number(),
  altitudeM: z.number().optional(),
});
const ProductView = z.object({ id: z.string(), name: z.string(), rateLPerHa: z.number(), maxWindMps: z.number() });

function parsePlanFile(text: string | Record<string, unknown>): unknown {
  if (typeof text !== 'string') return text;
  if (text.trimStart().startsWith('QGC WPL')) return wplToPlan(text);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MissionError(
      'QGC_PARSE_ERROR',
      `the .plan file is not JSON (nor a QGC WPL 110 .waypoints file): ${(cause as Error).message}`,
      { cause, context: { params: { path: '(file)' } } },
    );
  }
}

/** The plan of a create request: planned on the field, or the uploaded .plan on it. */
function planOf(
  ctx: MissionCtx,
  field: FieldRecord,
  body: z.infer<typeof PlanBody>,
): { plan: Plan; droneId: string; productId: string } {
  const drone = ctx.o.drones.find((d) => d.id === body.droneId);
  const product = ctx.o.products.find((p) => p.id === body.productId);
  if (!drone || !product)
    throw new AuthError(
      'BAD_REQUEST',
      `unknown ${drone ? 'product' : 'drone'} "${drone ? body.productId : body.droneId}": see /api/v1/missions/options`,
    );
  const { id: _d, name: _n, ...profile } = drone;
  const droneProfile = { ...profile, altitudeM: profile.altitudeM ?? 3 };
  const prod = {
    name: product.name,
    rateLPerHa: body.rateLPerHa ?? product.rateLPerHa,
    maxWindMps: product.maxWindMps,
  };
  const f = fieldOf(field);
  if (body.qgcPlan !== undefined) {
    const files = Array.isArray(body.qgcPlan) ? body.qgcPlan : [body.qgcPlan];
    const route = joinSorties(
      files.map((file) => routeFromQgc(parsePlanFile(file), { swathM: drone.swathM, speedMps: drone.speedMps })),
    );
    return {
      plan: planFromRoute(route, {
        field: f,
        drone: droneProfile,
        product: prod,
        // the same buffer around holes the planner would keep
        holeBufferM: body.holeBufferM ?? body.bufferM,
        ...(ctx.o.routeLimits ? { limits: ctx.o.routeLimits } : {}),
      }),
      droneId: drone.id,
      productId: product.id,
    };
  }
  const plan = planMission({
    field: f,
    drone: droneProfile,
    product: prod,
    buffers: { boundaryM: body.bufferM, holeM: body.holeBufferM ?? body.bufferM },
    ...(body.heading !== undefined ? { heading: body.heading } : {}),
    ...(body.refill ? { refill: body.refill } : {}),
  });
  return { plan, droneId: drone.id, productId: product.id };
}

/**
 * Spray missions for technicians (own cooperative's farms) and admins: fields, drone/product
 * catalogue, plan or upload, lifecycle draft → approved → flown → verified with who did what,
 * exports (GeoJSON / KML / QGroundControl .plan), verification of the as-applied log.
 * Farmers and officers: 403.
 */
export const missionRoutes: FastifyPluginAsyncZod<import('./context.js').MissionRoutesOptions> = async (app, o) => {
  const ctx = missionCtx(app, o, o.clock ?? systemClock);
  const guard = requireRole('technician', 'admin');
  await app.register(fieldRoutes, { ctx });
  await app.register(lifecycleRoutes, { ctx });
  await app.register(exportRoutes, { ctx });
  await app.register(resprayRoutes, { ctx });

  app.get(
    '/api/v1/missions/options',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'Drones and products to plan with',
        response: { 200: z.object({ drones: z.array(DroneView), products: z.array(ProductView) }), ...missionErrors },
      },
    },
    async () => ({ drones: o.drones, products: o.products }),
  );

  app.get(
    '/api/v1/missions',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: "Missions on my cooperative's farms, newest first",
        querystring: ListQuery,
        response: { 200: z.object({ missions: z.array(MissionSummary), ...PageFields }), ...missionErrors },
      },
    },
    async (req) => {
      const farmIds = await ctx.farmIdsOf(currentUser(req));
      const { offset, limit, ...filter } = req.query;
      const page = pageOf(await o.missions.list({ ...filter, limit: readUpTo(req.query), farmIds }), { offset, limit });
      return { missions: page.items.map(summaryView), hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.get(
    '/api/v1/missions/:id',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'A mission: plan, metrics, lifecycle history',
        params: IdParams,
        response: { 200: MissionView, ...missionErrors },
      },
    },
    async (req) => missionView(await ctx.missionFor(currentUser(req), req.params.id)),
  );

  app.post(
    '/api/v1/missions',
    {
      preValidation: guard,
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags: ['missions'],
        summary: 'Plan a spray mission on a field, or upload a QGroundControl .plan for it',
        body: PlanBody,
        response: { 201: MissionView, ...missionErrors },
      },
    },
    async (req, reply) => {
      const user: StoredUser = currentUser(req);
      const field = await ctx.fieldFor(user, req.body.fieldId);
      const { plan, droneId, productId } = planOf(ctx, field, req.body);
      const m = await createMission(o.missions, {
        id: newMissionId(),
        plan,
        by: user.username,
        at: ctx.clock.now(),
        fieldId: field.id,
        farmId: field.farmId,
        ...(req.body.name ? { name: req.body.name } : {}),
        params: { ...req.body, qgcPlan: req.body.qgcPlan === undefined ? undefined : 'uploaded', droneId, productId },
      });
      await app.auth.record(
        user,
        'mission.plan',
        `mission:${m.id}`,
        undefined,
        {
          field: field.id,
          drone: droneId,
          product: productId,
          rateLPerHa: plan.rateLPerHa,
          uploaded: req.body.qgcPlan !== undefined,
        },
        { farmId: field.farmId, cooperativeId: await ctx.cooperativeOf(field.farmId) },
      );
      return reply.status(201).send(missionView(m));
    },
  );
};
