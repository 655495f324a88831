import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole, AuthError } from '../../auth/index.js';
import { importField } from '../field-store.js';
import { DEFAULT_FIELD_LIMITS } from '../field.js';

const centroidOf = (ring: number[][]): [number, number] => {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0]!, 0) / pts.length, pts.reduce((s, p) => s + p[1]!, 0) / pts.length];
};
import type { MissionCtx } from './context.js';
import { MAX_PAGE, PageFields, pageOf, pageQuery } from '../../http/paging.js';
import { FieldBody, FieldView, IdParams, fieldView, missionErrors } from './schemas.js';

/** A field file may be 2 MB (FIELD_FILE_TOO_LARGE past it): room for that inside JSON. */
const FIELD_BODY_LIMIT = 5 * 1024 * 1024;

/** Fields of the technician's cooperative: list, read, import from GeoJSON or KML. */
export const fieldRoutes: FastifyPluginAsyncZod<{ ctx: MissionCtx }> = async (app, { ctx }) => {
  const guard = requireRole('technician', 'admin');

  app.get(
    '/api/v1/fields',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: "Fields of my cooperative's farms",
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ fields: z.array(FieldView), ...PageFields }), ...missionErrors },
      },
    },
    async (req) => {
      const farmIds = await ctx.farmIdsOf(currentUser(req));
      const page = pageOf(
        (await ctx.o.fields.list({ farmIds })).filter((f) => farmIds.includes(f.farmId)),
        req.query,
      );
      return { fields: page.items.map(fieldView), hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.get(
    '/api/v1/fields/:id',
    {
      preValidation: guard,
      schema: {
        tags: ['missions'],
        summary: 'One field with its boundary, holes and exclusions',
        params: IdParams,
        response: { 200: FieldView, ...missionErrors },
      },
    },
    async (req) => fieldView(await ctx.fieldFor(currentUser(req), req.params.id)),
  );

  app.post(
    '/api/v1/fields',
    {
      preValidation: guard,
      bodyLimit: FIELD_BODY_LIMIT,
      schema: {
        tags: ['missions'],
        summary: 'Register a field from GeoJSON or a KML/GeoJSON file (validated: 400 with every issue)',
        body: FieldBody,
        response: { 201: FieldView, ...missionErrors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const b = req.body;
      const farmIds = await ctx.farmIdsOf(user);
      if (!farmIds.includes(b.farmId))
        throw new AuthError('NOT_FOUND', `no farm "${b.farmId}" among your cooperative's farms`);
      // where the cooperative already has fields: a swapped lon/lat pair is told apart anywhere on Earth
      const near = (await ctx.o.fields.list({ farmIds }))
        .slice(0, 500)
        .map((f) => centroidOf(f.boundary.coordinates[0]!));
      const rec = importField(
        {
          data: b.file ?? b.geojson!,
          ...(b.format ? { format: b.format } : {}),
          ...(b.filename ? { filename: b.filename } : {}),
        },
        { farmId: b.farmId, ...(b.name ? { name: b.name } : {}), by: user.username, at: ctx.clock.now() },
        { ...DEFAULT_FIELD_LIMITS, near },
      );
      const saved = await ctx.o.fields.create(rec);
      await app.auth.record(
        user,
        'field.create',
        `field:${saved.id}`,
        undefined,
        { name: saved.name, areaHa: saved.areaHa },
        { farmId: saved.farmId, cooperativeId: await ctx.cooperativeOf(saved.farmId) },
      );
      return reply.status(201).send(fieldView(saved));
    },
  );
};
