import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireRole } from '../../auth/plugin.js';
import { z } from 'zod';
import type { Registry } from '../../registry/registry.js';
import { errorResponses } from '../errors.js';

const Level = z.object({ level: z.string(), rank: z.number().int(), nameVi: z.string(), nameEn: z.string() });
const Unit = z.object({ id: z.string(), parentId: z.string().nullable(), level: z.string(), name: z.string() });

/** GET /api/v1/units: the administrative tree (levels are data) for pickers and reports. */
export const unitRoutes: FastifyPluginAsyncZod<{ registry: Registry; scoped?: boolean }> = async (app, { registry, scoped }) => {
  if (scoped) app.addHook('preHandler', requireRole());
  app.get('/api/v1/units', {
    schema: {
      tags: ['units'], summary: 'Administrative levels and units (province → district → commune → hamlet)',
      response: { 200: z.object({ levels: z.array(Level), units: z.array(Unit) }), ...errorResponses },
    },
  }, async () => {
    const [levels, units] = await Promise.all([registry.listUnitLevels(), registry.listUnits()]);
    return { levels, units };
  });
};
