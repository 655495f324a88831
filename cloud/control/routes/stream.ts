import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser, requireRole, errorResponses, visibleFarms } from '../../auth/index.js';
import type { ControlService } from '../service.js';
import type { LiveEvent } from '../bus.js';

// proxies and phone carriers drop idle connections; a comment line every 20 s keeps it open
const HEARTBEAT_MS = 20_000;

/**
 * GET /api/v1/stream — Server-Sent Events of the gateways the user may see: `telemetry`,
 * `state`, `event`, `config`, `cmd`, and `mission` changes of the farms the user may see (not
 * with `?gateway=`). EventSource reconnects by itself when the link drops.
 */
export async function streamRoute(app: FastifyInstance, control: ControlService): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/stream',
    {
      preHandler: requireRole('farmer', 'technician', 'admin'),
      schema: {
        tags: ['control'],
        summary: 'Live updates (text/event-stream) of my gateways',
        querystring: z.object({ gateway: z.string().max(64).optional() }),
        response: { 200: z.string().describe('text/event-stream'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const farms = visibleFarms(user, await app.auth.farms.listFarms());
      const allowed = new Set(farms.flatMap((f) => f.gatewayIds));
      // mission changes go to whoever may see the mission's farm (its cooperative's technicians too)
      const allowedFarms = new Set(farms.map((f) => f.id));
      const only = req.query.gateway;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: connected\n\n`);
      const send = (e: LiveEvent) => {
        if (e.type === 'mission') {
          if (!allowedFarms.has(e.farmId) || only) return;
        } else if (!allowed.has(e.gatewayId) || (only && only !== e.gatewayId)) return;
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const unsubscribe = control.d.bus.subscribe(send);
      const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      // logout, a password change or a deactivation ends the stream at once (cloud/auth/service.ts)
      const unwatch = app.auth.watchSession(req.sessionToken, user.id, () => res.end());
      const stop = () => {
        clearInterval(beat);
        unsubscribe();
        unwatch();
      };
      req.raw.on('close', stop);
      res.on('error', stop);
    },
  );
}
