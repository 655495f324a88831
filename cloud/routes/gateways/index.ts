import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireRole, canAccessFarm } from '../../auth/index.js';
import { z } from 'zod';
import { hours, type Clock } from '../../../lib/time.js';
import type { GatewayView, Registry, StoredEvent } from '../../registry/registry.js';
import type { LatestReading, TelemetryStore } from '../../telemetry/store.js';
import type { GatewaySeqStats } from '../../ingest/seq-tracker.js';
import { BadRequestError, errorResponses, NotFoundError } from '../../http/errors.js';
import { PageFields, pageOf, pageQuery, readUpTo } from '../../http/paging.js';
import {
  EventsOut,
  GatewayDetail,
  GatewayParams,
  GatewaySummary,
  LatestValue,
  ListQuery,
  ReadingsOut,
  ReadingsQuery,
} from './schemas.js';
import { autoEvery, MAX_POINTS_PER_SERIES, parseEvery, parseTime } from './time-params.js';

export interface GatewayRoutesOptions {
  registry: Registry;
  store: TelemetryStore;
  clock: Clock;
  /**
   * with accounts (the full cloud): a session is required and each user sees only the gateways
   * of the farms their role allows; without (the bare shell in tests): open
   */
  scoped?: boolean;
  /** the ingest's seq tracker (the one count of gaps and duplicates); absent: figures are 0 */
  seq?: (gatewayId: string) => GatewaySeqStats | undefined;
}

const commune = (g: GatewayView) => g.units.find((u) => u.level === 'commune') ?? null;
const unitRef = (u: { id: string; name: string; level: string }) => ({ id: u.id, name: u.name, level: u.level });
const eventOut = (e: StoredEvent) => ({
  ts: e.ts,
  kind: e.kind,
  severity: e.severity ?? 'info',
  reason: e.reason,
  zone: e.zone,
  valve: e.valve,
  sensor: e.sensor,
});
const latestOut = (rows: LatestReading[]) =>
  rows.map((r) => ({
    sensor: r.sensor,
    metric: r.metric,
    unit: r.unit,
    value: r.value,
    quality: r.quality,
    ts: r.ts,
    ...(r.fault ? { fault: r.fault } : {}),
  }));

type SeqOf = GatewayRoutesOptions['seq'];

/** the tracker's figures for the gateway's current boot (the registry's bootId, else the newest seen) */
function currentBoot(g: GatewayView, seqOf: SeqOf) {
  const boots = seqOf?.(g.id)?.boots ?? [];
  const b = boots.find((x) => x.bootId === g.bootId) ?? boots[0];
  return b ? { bootId: b.bootId, received: b.received, missing: b.missing, duplicates: b.duplicates } : null;
}

function summary(g: GatewayView, latest: LatestReading[] | null, seqOf?: SeqOf): z.infer<typeof GatewaySummary> {
  const c = commune(g);
  const seq = currentBoot(g, seqOf);
  return {
    id: g.id,
    name: g.name,
    farm: g.farm,
    commune: c ? unitRef(c) : null,
    online: g.online,
    onlineChangedAt: g.onlineChangedAt,
    lastSeen: g.lastSeen,
    lastSeq: g.lastSeq,
    bootId: g.bootId,
    fw: g.fw,
    seqGaps: seq?.missing ?? 0,
    seqDups: seq?.duplicates ?? 0,
    seq,
    desiredConfigVersion: g.desiredConfigVersion,
    appliedConfigVersion: g.appliedConfigVersion,
    latest: latest ? latestOut(latest) : null,
  };
}

/** GET /api/v1/gateways, /:id, /:id/latest, /:id/readings */
export const gatewayRoutes: FastifyPluginAsyncZod<GatewayRoutesOptions> = async (
  app,
  { registry, store, clock, scoped, seq: seqOf },
) => {
  // officers see aggregates (reports), never one farm's gateway
  if (scoped) app.addHook('preValidation', requireRole('farmer', 'technician', 'admin'));
  const canRead = async (req: FastifyRequest, g: GatewayView): Promise<boolean> => {
    if (!scoped || req.user?.role === 'admin') return true;
    const farm = g.farmId ? await registry.getFarm(g.farmId) : null;
    if (!farm || !req.user) return false;
    return canAccessFarm(
      req.user,
      { id: farm.id, name: farm.name, commune: '', cooperativeId: farm.cooperativeId ?? '', gatewayIds: [g.id] },
      'read',
    );
  };
  // the gateway list survives a telemetry store outage: its readings are then null
  const latestOrNull = (id: string) =>
    store.latest(id).catch((err: unknown) => {
      app.log.warn({ err, gatewayId: id }, 'latest readings unavailable');
      return null;
    });
  const mustGet = async (req: FastifyRequest, id: string) => {
    const g = await registry.getGateway(id);
    // a gateway the user may not see answers exactly like one that does not exist: ids are not probed
    if (!g || !(await canRead(req, g))) throw new NotFoundError(`gateway ${id} is not registered`);
    return g;
  };

  app.get(
    '/api/v1/gateways',
    {
      schema: {
        tags: ['gateways'],
        summary: 'Gateways with their farm, commune, online state and latest readings',
        querystring: ListQuery,
        response: { 200: z.object({ gateways: z.array(GatewaySummary), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      let page: ReturnType<typeof pageOf<GatewayView>>;
      if (!scoped || req.user?.role === 'admin') {
        // everything visible: the registry pages (one more row says whether another page follows)
        page = pageOf(await registry.listGateways({ limit: q.limit + 1, offset: q.offset }), {
          limit: q.limit,
          offset: 0,
        });
        page.nextOffset = page.hasMore ? q.offset + q.limit : null;
      } else {
        // paged after the farm filter, so pages are disjoint and full whatever the user may see
        const all = await registry.listGateways({ limit: 100_000 });
        const visible = await Promise.all(all.map((g) => canRead(req, g)));
        page = pageOf(
          all.filter((_, i) => visible[i]),
          q,
        );
      }
      const latest = await Promise.all(page.items.map((g) => latestOrNull(g.id)));
      return {
        gateways: page.items.map((g, i) => summary(g, latest[i] ?? null, seqOf)),
        hasMore: page.hasMore,
        nextOffset: page.nextOffset,
      };
    },
  );

  app.get(
    '/api/v1/gateways/:id',
    {
      schema: {
        tags: ['gateways'],
        summary: 'One gateway: state, units, inventory, latest readings, recent events',
        params: GatewayParams,
        response: { 200: GatewayDetail, ...errorResponses },
      },
    },
    async (req) => {
      const g = await mustGet(req, req.params.id);
      const [latest, events] = await Promise.all([latestOrNull(g.id), registry.listEvents(g.id, 20)]);
      return {
        ...summary(g, latest, seqOf),
        units: g.units.map(unitRef),
        inventory: g.inventory,
        events: events.map(eventOut),
      };
    },
  );

  app.get(
    '/api/v1/gateways/:id/latest',
    {
      schema: {
        tags: ['gateways'],
        summary: 'Latest value per sensor and metric',
        params: GatewayParams,
        response: { 200: z.object({ gatewayId: z.string(), latest: z.array(LatestValue) }), ...errorResponses },
      },
    },
    async (req) => {
      const g = await mustGet(req, req.params.id);
      return { gatewayId: g.id, latest: latestOut(await store.latest(g.id)) };
    },
  );

  app.get(
    '/api/v1/gateways/:id/events',
    {
      schema: {
        tags: ['gateways'],
        summary: 'Recent events of a gateway (valve decisions with reasons, faults, interlocks), newest first',
        params: GatewayParams,
        // the registry keeps the last 200 events of a gateway
        querystring: pageQuery(50, 200),
        response: { 200: z.object({ gatewayId: z.string(), events: EventsOut, ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const g = await mustGet(req, req.params.id);
      const page = pageOf(await registry.listEvents(g.id, readUpTo(req.query)), req.query);
      return { gatewayId: g.id, events: page.items.map(eventOut), hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.get(
    '/api/v1/gateways/:id/readings',
    {
      schema: {
        tags: ['gateways'],
        summary: 'Time series per sensor and metric, mean/min/max per bucket (default: last 24 h, all metrics)',
        params: GatewayParams,
        querystring: ReadingsQuery,
        response: { 200: ReadingsOut, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const to = q.to ? parseTime(q.to)! : clock.now();
      const from = q.from ? parseTime(q.from)! : to - hours(24);
      if (from >= to)
        throw new BadRequestError(
          `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`,
        );
      const step = q.every ? { every: q.every, everyMs: parseEvery(q.every)! } : autoEvery(to - from);
      const buckets = Math.ceil((to - from) / step.everyMs);
      if (buckets > MAX_POINTS_PER_SERIES) {
        throw new BadRequestError(
          `every=${step.every} over this range gives ${buckets} points per series, more than ${MAX_POINTS_PER_SERIES}: choose a larger every or a shorter range`,
        );
      }
      const g = await mustGet(req, req.params.id);
      const series = await store.query({
        gatewayId: g.id,
        metric: q.metric,
        sensor: q.sensor,
        from,
        to,
        everyMs: step.everyMs,
      });
      return {
        gatewayId: g.id,
        from,
        to,
        ...step,
        series: series.map((s) => ({ sensor: s.sensor, metric: s.metric, unit: s.unit, points: s.points })),
      };
    },
  );
};
