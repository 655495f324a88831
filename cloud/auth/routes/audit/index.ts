import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole, errorResponses } from '../../index.js';
import { PageFields, pageOf, pageQuery, readUpTo } from '../../../http/paging.js';

const Entry = z.object({
  id: z.number().optional(),
  ts: z.number(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  farmId: z.string().optional(),
  old: z.unknown().optional(),
  new: z.unknown().optional(),
});

/** GET /api/v1/audit — who changed what, when, old → new. Technicians see their cooperative's. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/audit',
    {
      preHandler: requireRole('technician', 'admin'),
      schema: {
        tags: ['audit'],
        summary: 'Audit log, newest first',
        querystring: pageQuery(100).extend({ target: z.string().max(200).optional() }),
        response: { 200: z.object({ entries: z.array(Entry), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const me = currentUser(req);
      const filter = {
        limit: readUpTo(req.query),
        ...(req.query.target ? { target: req.query.target } : {}),
        ...(me.role === 'technician' ? { cooperativeId: me.cooperativeId ?? '\u0000none' } : {}),
      };
      const page = pageOf(await app.auth.audit.list(filter), req.query);
      return {
        entries: page.items.map((e) => ({ ...e, farmId: e.farmId ?? undefined })),
        hasMore: page.hasMore,
        nextOffset: page.nextOffset,
      };
    },
  );
};
