import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  currentUser,
  requireRole,
  errorResponses,
  AuthError,
  assertFarmAccess,
  visibleFarms,
  type Access,
  type FarmInfo,
} from '../../auth/index.js';
import { Alert, acknowledgeAlert, alertsFor, withAcks } from '../alerts.js';
import {
  CommandBody,
  CommandView,
  ConfigRecordSchema,
  ConfigView,
  EventsView,
  FarmView,
  GatewayParams,
  LiveView,
  PutConfigBody,
  SeqView,
} from './schemas.js';
import type { ControlService } from '../service.js';
import { streamRoute } from './stream.js';
import { MAX_PAGE, PageFields, pageOf, pageQuery, readUpTo } from '../../http/paging.js';

// the web app reads these lists whole (one farm's alerts, a user's farms): default one full page
const MAX_PAGE_DEFAULT = MAX_PAGE;
import { provisionRoute, type GatewayProvisioner } from './provision.js';

export interface ControlRoutesOptions {
  control: ControlService;
  /** enables POST /api/v1/provision/gateways */
  provisioner?: GatewayProvisioner;
  /** broker URL shown to the technician with new credentials */
  mqttPublicUrl?: string;
}

const CONTROL_ROLES = ['farmer', 'technician', 'admin'] as const;

/**
 * The farmer's control API under /api/v1: farms, config (versioned, pending → applied),
 * commands with acks, live state, events, alerts, and the SSE stream. Officers get 403 on all.
 */
export const controlRoutes: FastifyPluginAsyncZod<ControlRoutesOptions> = async (
  app,
  { control, provisioner, mqttPublicUrl },
) => {
  const auth = app.auth;
  const guard = requireRole(...CONTROL_ROLES);

  async function gatewayFarm(req: FastifyRequest, gw: string, access: Access): Promise<FarmInfo> {
    const user = currentUser(req);
    const farm = await auth.farms.farmOfGateway(gw);
    if (!farm && user.role === 'admin') throw new AuthError('NOT_FOUND', `no gateway "${gw}" in any farm`);
    return assertFarmAccess(user, farm, access);
  }

  app.get(
    '/api/v1/my/farms',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Farms I may see, with their gateways',
        querystring: pageQuery(MAX_PAGE_DEFAULT),
        response: { 200: z.object({ farms: z.array(FarmView), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf(visibleFarms(currentUser(req), await auth.farms.listFarms()), req.query);
      return {
        hasMore: page.hasMore,
        nextOffset: page.nextOffset,
        farms: page.items.map((f) => ({
          id: f.id,
          name: f.name,
          commune: f.commune,
          cooperativeId: f.cooperativeId,
          gateways: f.gatewayIds.map((id) => {
            const l = control.liveOf(id);
            return { id, online: l.online, lastSeen: l.lastSeen };
          }),
        })),
      };
    },
  );

  app.get(
    '/api/v1/gateways/:id/config',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Zones and thresholds: the newest version and whether the gateway applied it',
        params: GatewayParams,
        response: { 200: ConfigView, ...errorResponses },
      },
    },
    async (req) => {
      await gatewayFarm(req, req.params.id, 'read');
      const desired = await control.d.configs.latest(req.params.id);
      const applied = await control.d.configs.applied(req.params.id);
      return { gatewayId: req.params.id, desired: desired ?? null, appliedVersion: applied?.version ?? null };
    },
  );

  app.put(
    '/api/v1/gateways/:id/config',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Store a new config version and publish it (retained); status stays "pending" until the gateway acks',
        params: GatewayParams,
        body: PutConfigBody,
        response: { 202: ConfigRecordSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const farm = await gatewayFarm(req, req.params.id, 'control');
      const rec = await control.putConfig(currentUser(req), req.params.id, farm.id, farm.cooperativeId, req.body);
      return reply.status(202).send(rec);
    },
  );

  app.post(
    '/api/v1/gateways/:id/commands',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Open a valve N minutes, close it, or stop all; the ack arrives later',
        params: GatewayParams,
        body: CommandBody,
        response: { 202: CommandView, ...errorResponses },
      },
    },
    async (req, reply) => {
      const farm = await gatewayFarm(req, req.params.id, 'control');
      const command = await control.sendCommand(currentUser(req), req.params.id, farm.id, farm.cooperativeId, req.body);
      return reply.status(202).send({ gatewayId: req.params.id, command, outcome: 'sent' as const });
    },
  );

  app.get(
    '/api/v1/gateways/:id/commands/:cmdId',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'A command and its outcome',
        params: GatewayParams.extend({ cmdId: z.string().min(1).max(64) }),
        response: { 200: CommandView, ...errorResponses },
      },
    },
    async (req) => {
      await gatewayFarm(req, req.params.id, 'read');
      const rec = await control.d.commands.get(req.params.cmdId);
      if (!rec || rec.gatewayId !== req.params.id) throw new AuthError('NOT_FOUND', 'no such command on this gateway');
      return rec;
    },
  );

  app.get(
    '/api/v1/gateways/:id/seq',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Telemetry seq accounting per boot: ranges received, open gaps, real duplicates',
        params: GatewayParams,
        response: { 200: SeqView, ...errorResponses },
      },
    },
    async (req) => {
      await gatewayFarm(req, req.params.id, 'read');
      return control.d.seq?.(req.params.id) ?? { gatewayId: req.params.id, boots: [] };
    },
  );

  app.get(
    '/api/v1/gateways/:id/live',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Latest value per sensor, valve/pump state, faults',
        params: GatewayParams,
        response: { 200: LiveView, ...errorResponses },
      },
    },
    async (req) => {
      await gatewayFarm(req, req.params.id, 'read');
      const l = control.liveOf(req.params.id);
      return {
        gatewayId: req.params.id,
        online: l.online,
        lastSeen: l.lastSeen,
        readings: Object.values(l.latest),
        actuators: l.actuators,
        faults: l.faults,
        degraded: l.degraded,
      };
    },
  );

  app.get(
    '/api/v1/gateways/:id/decisions',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Recent decisions with their reasons, newest first',
        params: GatewayParams,
        querystring: pageQuery(50),
        response: { 200: EventsView.extend(PageFields), ...errorResponses },
      },
    },
    async (req) => {
      await gatewayFarm(req, req.params.id, 'read');
      const page = pageOf(await control.d.events.recent(req.params.id, readUpTo(req.query)), req.query);
      return { events: page.items, hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Open alerts of my gateways: offline, sensor fault, salinity interlock, water level out of bounds',
        querystring: pageQuery(MAX_PAGE_DEFAULT).extend({ gateway: z.string().max(64).optional() }),
        response: { 200: z.object({ alerts: z.array(Alert), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const farms = visibleFarms(currentUser(req), await auth.farms.listFarms());
      const alerts: Alert[] = [];
      for (const f of farms) {
        for (const gw of f.gatewayIds) {
          if (!req.query.gateway || req.query.gateway === gw) alerts.push(...(await alertsFor(control, gw, f.id)));
        }
      }
      const page = pageOf(alerts, req.query);
      return { alerts: await withAcks(control, page.items), hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.post(
    '/api/v1/alerts/:id/ack',
    {
      preHandler: guard,
      schema: {
        tags: ['control'],
        summary: 'Acknowledge an open alert of my farms ("đã biết"), for everyone who sees it; audited',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: z.object({ alert: Alert }), ...errorResponses },
      },
    },
    async (req) => {
      const farms = visibleFarms(currentUser(req), await auth.farms.listFarms());
      return { alert: await acknowledgeAlert(control, currentUser(req), farms, req.params.id) };
    },
  );

  await streamRoute(app, control);
  if (provisioner) await provisionRoute(app, provisioner, mqttPublicUrl);
};
