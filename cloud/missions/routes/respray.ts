import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole } from '../../auth/index.js';
import { MissionError } from '../errors.js';
import { fieldOf } from '../field-store.js';
import { createMission } from '../missions.js';
import { resprayPlan } from '../respray.js';
import { newMissionId } from '../catalog.js';
import type { MissionCtx } from './context.js';
import { IdParams, MissionView, ResprayBody, missionErrors, missionView } from './schemas.js';

/** One step from a verification that says "respray" to a draft mission over the missed and under-dosed ground. */
export const resprayRoutes: FastifyPluginAsyncZod<{ ctx: MissionCtx }> = async (app, { ctx }) => {
  const guard = requireRole('technician', 'admin');
  const { o } = ctx;

  app.post(
    '/api/v1/missions/:id/respray',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary:
          'Build a respray mission (draft) over the missed and under-dosed areas of a verified mission; 422 RESPRAY_NOTHING_MISSED when it passed',
        params: IdParams,
        body: ResprayBody,
        response: { 201: MissionView, ...missionErrors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const m = await ctx.missionFor(user, req.params.id);
      if (!m.verification)
        throw new MissionError(
          'MISSION_INVALID_TRANSITION',
          `mission ${m.id} has not been verified: verify it before a respray`,
          { context: { params: { state: m.lifecycle.state } } },
        );
      const field = m.fieldId ? await o.fields.get(m.fieldId) : undefined;
      if (!field)
        throw new MissionError('FIELD_NOT_FOUND', `the field of mission ${m.id} is gone`, {
          context: { params: { fieldId: m.fieldId ?? null } },
        });
      const p = m.params as { bufferM?: number; holeBufferM?: number; refill?: 'auto' | Array<[number, number]> };
      const buffers = { boundaryM: p.bufferM ?? 0, holeM: p.holeBufferM ?? p.bufferM ?? 0 };
      const plan = resprayPlan(m.plan, m.verification, fieldOf(field), {
        buffers,
        ...(p.refill ? { refill: p.refill } : {}),
      });
      const next = await createMission(o.missions, {
        id: newMissionId(),
        plan,
        by: user.username,
        at: ctx.clock.now(),
        fieldId: field.id,
        farmId: field.farmId,
        name: req.body?.name ?? `${m.name ?? field.name} — respray`.slice(0, 100),
        ...(m.droneId ? { droneId: m.droneId } : {}),
        params: { ...m.params, qgcPlan: undefined, resprayOf: m.id },
      });
      await app.auth.record(
        user,
        'mission.respray',
        `mission:${next.id}`,
        undefined,
        { resprayOf: m.id, sprayableAreaHa: plan.metrics.sprayableAreaHa },
        { farmId: field.farmId, cooperativeId: await ctx.cooperativeOf(field.farmId) },
      );
      return reply.status(201).send(missionView(next));
    },
  );
};
