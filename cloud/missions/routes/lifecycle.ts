import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MissionStatus, topics } from '../../../protocol/index.js';
import { log } from '../../../lib/log.js';
import { currentUser, requireRole, type StoredUser } from '../../auth/index.js';
import { loadAsApplied } from '../as-applied.js';
import { MissionError } from '../errors.js';
import { actOnMission } from '../missions.js';
import type { MissionRecord } from '../store.js';
import { verifyAsApplied, gridToGeoJson } from '../verify.js';
import { checkWeather, type WeatherInput, type WeatherVerdict } from '../weather.js';
import type { MissionCtx } from './context.js';
import {
  ApproveBody,
  FlyBody,
  IdParams,
  MissionView,
  VerificationView,
  VerifyBody,
  missionErrors,
  missionView,
  summaryView,
} from './schemas.js';

const logger = log.child({ mod: 'mission-routes' });
const DAY = 86_400_000;

/** Approve (weather check, MissionStatus on the broker), fly, verify against the stored as-applied log. */
export const lifecycleRoutes: FastifyPluginAsyncZod<{ ctx: MissionCtx }> = async (app, { ctx }) => {
  const guard = requireRole('technician', 'admin');
  const { o } = ctx;

  async function audit(
    user: StoredUser,
    action: string,
    before: MissionRecord,
    after: MissionRecord,
    extra: Record<string, unknown> = {},
  ) {
    await app.auth.record(
      user,
      action,
      `mission:${after.id}`,
      { status: before.lifecycle.state === 'draft' ? 'planned' : before.lifecycle.state },
      { status: after.lifecycle.state, ...extra },
      { farmId: after.farmId, cooperativeId: await ctx.cooperativeOf(after.farmId) },
    );
  }

  /** the weather of an approval: entered values, else the configured source, else (lenient mode) a recorded warning */
  async function weatherFor(m: MissionRecord, entered: WeatherInput | undefined): Promise<WeatherVerdict> {
    const input = entered ?? (o.weather ? await o.weather() : undefined);
    if (input) return checkWeather(input, m.plan.product);
    if (o.requireWeather) {
      throw new MissionError(
        'WEATHER_REFUSED',
        'approval needs the wind and rain of the spray window: send windMps (and gustMps, rainMmH, rainProbability)',
        {
          context: {
            params: { missing: 'windMps' },
            weather: {
              findings: [
                {
                  level: 'refuse',
                  code: 'WEATHER_NOT_ENTERED',
                  params: { maxWindMps: m.plan.product.maxWindMps },
                  message: 'no weather values',
                },
              ],
            },
          },
        },
      );
    }
    return {
      verdict: 'warn',
      checked: { windMps: 0 },
      findings: [
        {
          level: 'warn',
          code: 'WEATHER_NOT_ENTERED',
          params: { maxWindMps: m.plan.product.maxWindMps },
          message: `no wind or rain values were entered: the approver vouches that wind stays under ${m.plan.product.maxWindMps} m/s and no rain falls`,
        },
      ],
    };
  }

  async function publishStatus(
    m: MissionRecord,
    user: StoredUser,
    status: 'approved' | 'cancelled',
    window: { start: number; end: number } | undefined,
  ): Promise<boolean> {
    if (!o.publish) return false;
    const field = m.fieldId ? await o.fields.get(m.fieldId) : undefined;
    if (!field) return false;
    const now = ctx.clock.now();
    const msg = MissionStatus.parse({
      missionId: m.id,
      status,
      ts: now,
      fieldName: field.name.slice(0, 100),
      farmId: m.farmId,
      field: field.boundary,
      product: m.plan.product.name.slice(0, 100),
      window: window ?? { start: now, end: now + (o.sprayWindowMs ?? 4 * 3_600_000) },
      by: user.username,
    });
    try {
      await o.publish(topics.missionStatus(m.id), JSON.stringify(msg), { qos: 1, retain: false });
      return true;
    } catch (err) {
      // the approval stands; the notice can be re-sent by approving again after a reopen
      logger.error({ err, missionId: m.id }, 'mission status not published: neighbours were not notified');
      return false;
    }
  }

  app.post(
    '/api/v1/missions/:id/approve',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary:
          "Approve a draft after the weather check: refused (422 with findings) over the product's limits; warnings need acceptWarnings",
        params: IdParams,
        body: ApproveBody,
        response: { 200: MissionView, ...missionErrors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const m = await ctx.missionFor(user, req.params.id);
      const { acceptWarnings, note, window, ...entered } = req.body ?? { acceptWarnings: false };
      const weather = await weatherFor(m, req.body ? (entered as WeatherInput) : undefined);
      const lenient = weather.findings.some((f) => f.code === 'WEATHER_NOT_ENTERED');
      if (weather.verdict === 'warn' && !acceptWarnings && !lenient && m.lifecycle.state === 'draft') {
        throw new MissionError(
          'WEATHER_WARNINGS',
          `accept the weather warnings to approve: ${weather.findings.map((f) => f.message).join('; ')}`,
          { context: { weather, params: { warnings: weather.findings.length } } },
        );
      }
      const approved = await actOnMission(o.missions, m.id, 'approve', {
        by: user.username,
        at: ctx.clock.now(),
        weather,
        acceptWarnings: acceptWarnings || lenient,
        ...(note ? { note } : {}),
      });
      // the window announced is kept with the mission: a later cancellation names the same one
      const now = ctx.clock.now();
      const sprayWindow = window ?? { start: now, end: now + (o.sprayWindowMs ?? 4 * 3_600_000) };
      const { id: _id, version, ...rest } = approved;
      const next = await o.missions.update(approved.id, version, {
        ...rest,
        params: { ...approved.params, sprayWindow },
      });
      await audit(user, 'mission.approve', m, next, { weather: weather.verdict });
      return missionView(next, { noticePublished: await publishStatus(next, user, 'approved', sprayWindow) });
    },
  );

  app.post(
    '/api/v1/missions/:id/reopen',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'Take an approved mission back to draft (its window passed); neighbours hear it is cancelled',
        params: IdParams,
        body: FlyBody,
        response: { 200: MissionView, ...missionErrors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const m = await ctx.missionFor(user, req.params.id);
      const next = await actOnMission(o.missions, m.id, 'reopen', {
        by: user.username,
        at: ctx.clock.now(),
        ...(req.body?.note ? { note: req.body.note } : {}),
      });
      await audit(user, 'mission.reopen', m, next);
      const announced = (m.params as { sprayWindow?: { start: number; end: number } }).sprayWindow;
      return missionView(next, { noticePublished: await publishStatus(next, user, 'cancelled', announced) });
    },
  );

  app.post(
    '/api/v1/missions/:id/fly',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'Record that an approved mission was flown (and by which drone)',
        params: IdParams,
        body: FlyBody,
        response: { 200: MissionView, ...missionErrors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const m = await ctx.missionFor(user, req.params.id);
      const droneId = req.body?.droneId ?? m.droneId;
      const next = await actOnMission(o.missions, m.id, 'fly', {
        by: user.username,
        at: ctx.clock.now(),
        ...(droneId ? { droneId } : {}),
        ...(req.body?.note ? { note: req.body.note } : {}),
      });
      await audit(user, 'mission.fly', m, next, { droneId });
      return missionView(next);
    },
  );

  app.post(
    '/api/v1/missions/:id/verify',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'Verify a flown mission against its as-applied log in the telemetry store; stores the report',
        params: IdParams,
        body: VerifyBody,
        response: { 200: MissionView, ...missionErrors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const m = await ctx.missionFor(user, req.params.id);
      if (m.lifecycle.state !== 'flown')
        throw new MissionError(
          'MISSION_INVALID_TRANSITION',
          `cannot verify a mission that is ${m.lifecycle.state}: verify needs flown`,
        );
      if (!o.telemetry)
        throw new MissionError(
          'VERIFY_NO_LOG',
          'this server keeps no as-applied logs (no telemetry store configured for missions)',
        );
      if (!m.droneId)
        throw new MissionError(
          'VERIFY_NO_LOG',
          'which drone flew it? record the flight with POST …/fly {"droneId": …} first',
        );
      // the drone stamps its own samples; a day either side covers clock drift and late uploads
      const samples = await loadAsApplied(o.telemetry, {
        droneId: m.droneId,
        missionId: m.id,
        from: m.createdAt - DAY,
        to: ctx.clock.now() + 2 * DAY,
      });
      if (samples.length < 2)
        throw new MissionError(
          'VERIFY_NO_LOG',
          `no as-applied log of mission ${m.id} from drone ${m.droneId} in the telemetry store yet`,
        );
      const { minInTolerance, maxMissedShare, ...grid } = req.body ?? {};
      const thresholds = {
        ...o.verifyThresholds,
        ...(minInTolerance !== undefined ? { minInTolerance } : {}),
        ...(maxMissedShare !== undefined ? { maxMissedShare } : {}),
      };
      const report = verifyAsApplied(
        {
          sprayable: m.plan.sprayable,
          rateLPerHa: m.plan.rateLPerHa,
          swathM: m.plan.swathM,
          litresPlanned: m.plan.metrics.litres,
        },
        samples,
        { ...grid, thresholds },
      );
      const next = await actOnMission(o.missions, m.id, 'verify', {
        by: user.username,
        at: ctx.clock.now(),
        verification: report,
      });
      await audit(user, 'mission.verify', m, next, {
        inTolerance: report.inTolerance,
        samples: report.samples,
        verdict: report.verdict,
      });
      return missionView(next);
    },
  );

  app.get(
    '/api/v1/missions/:id/verification',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'The verification report and its applied-L/ha grid as a GeoJSON map layer',
        params: IdParams,
        response: { 200: VerificationView, ...missionErrors },
      },
    },
    async (req) => {
      const m = await ctx.missionFor(currentUser(req), req.params.id);
      if (!m.verification) throw new MissionError('MISSION_NOT_FOUND', `mission ${m.id} has not been verified yet`);
      return { missionId: m.id, report: summaryView(m).verification!, layer: gridToGeoJson(m.verification.grid) };
    },
  );
};
