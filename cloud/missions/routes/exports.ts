import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole } from '../../auth/index.js';
import { MissionError } from '../errors.js';
import { exportFiles, exportName, sortieOf } from '../export-files.js';
import { planToGeoJson } from '../export-geojson.js';
import { planToKml } from '../export-kml.js';
import { FIRMWARES } from '../firmware.js';
import { planToQgc } from '../qgc-plan.js';
import type { MissionRecord } from '../store.js';
import type { MissionCtx } from './context.js';
import { IdParams, missionErrors } from './schemas.js';

const ExportFileView = z.object({
  sortie: z.number().int().nullable(),
  sorties: z.number().int(),
  format: z.enum(['geojson', 'kml', 'plan']),
  firmware: z.enum(FIRMWARES as [string, ...string[]]).optional(),
  name: z.string(),
  url: z.string(),
});

const approved = (m: MissionRecord) => m.lifecycle.state !== 'draft';

function mustBeApproved(m: MissionRecord): void {
  if (!approved(m)) {
    throw new MissionError(
      'MISSION_NOT_APPROVED',
      `mission ${m.id} is a draft: approve it (weather check) before anything is downloaded to fly`,
      { context: { params: { state: m.lifecycle.state } } },
    );
  }
}

/** Downloads of an approved mission: the listing of every file, and each file (a `.plan` per sortie and firmware). */
export const exportRoutes: FastifyPluginAsyncZod<{ ctx: MissionCtx }> = async (app, { ctx }) => {
  const guard = requireRole('technician', 'admin');

  app.get(
    '/api/v1/missions/:id/exports',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary:
          'Every downloadable file of a mission (none before approval): GeoJSON, KML, and one .plan per sortie and firmware',
        params: IdParams,
        response: { 200: z.object({ approved: z.boolean(), files: z.array(ExportFileView) }), ...missionErrors },
      },
    },
    async (req) => {
      const m = await ctx.missionFor(currentUser(req), req.params.id);
      return { approved: approved(m), files: approved(m) ? exportFiles(m.id, m.plan, `/api/v1/missions/${m.id}`) : [] };
    },
  );

  app.get(
    '/api/v1/missions/:id/export.:format',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary:
          'Download an approved mission as GeoJSON, KML, or one sortie as a QGroundControl .plan (?sortie= needed when there are several; ?firmware=px4|ardupilot)',
        params: IdParams.extend({ format: z.enum(['geojson', 'kml', 'plan']) }),
        querystring: z.object({
          sortie: z.coerce.number().int().min(1).max(1000).optional(),
          firmware: z.enum(['px4', 'ardupilot']).default('px4'),
        }),
        response: { 200: z.string(), ...missionErrors },
      },
    },
    async (req, reply) => {
      const m = await ctx.missionFor(currentUser(req), req.params.id);
      mustBeApproved(m);
      const { format } = req.params;
      const sorties = m.plan.metrics.sorties;
      if (format === 'plan') {
        const sortie = sortieOf(m.plan, req.query.sortie);
        const { firmware } = req.query;
        reply
          .header(
            'content-disposition',
            `attachment; filename="${exportName(m.id, 'plan', { sortie, sorties, firmware })}"`,
          )
          .type('application/json');
        return JSON.stringify(planToQgc(m.plan, { sortie, firmware }), null, 2);
      }
      reply.header('content-disposition', `attachment; filename="${exportName(m.id, format, { sorties })}"`);
      if (format === 'kml') return reply.type('application/vnd.google-earth.kml+xml').send(planToKml(m.plan));
      return reply.type('application/geo+json').send(JSON.stringify(planToGeoJson(m.plan)));
    },
  );
};
