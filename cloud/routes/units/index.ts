import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser, requireRole, visibleFarms, generatePassword, hashPassword } from '../../auth/index.js';
import type { Registry } from '../../registry/registry.js';
import { RegistryError } from '../../registry/errors.js';
import { applyDistrict, checkDistrict, DistrictFile } from '../../onboarding/onboarding.js';
import type { GatewayConfig } from '../../../protocol/index.js';
import { errorResponses as base, ErrorBody, NotFoundError } from '../../http/errors.js';
import { MAX_PAGE, PageFields, pageOf, pageQuery } from '../../http/paging.js';

const errorResponses = { ...base, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody };
const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'id: lowercase letters, digits, ".", "_" or "-", at most 64');
const Name = z.string().trim().min(1).max(200);
const Level = z.object({ level: z.string(), rank: z.number().int(), nameVi: z.string(), nameEn: z.string() });
const Active = z.boolean().optional().describe('false = deactivated (audited); absent = active');
const Unit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  level: z.string(),
  name: z.string(),
  active: Active,
});
const Cooperative = z.object({ id: z.string(), name: z.string(), unitId: z.string().nullable(), active: Active });
const Farm = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  unitId: z.string().nullable(),
  cooperativeId: z.string().nullable(),
  areaHa: z.number().nullable(),
  active: Active,
});
const IdParams = z.object({ id: Id });
const admin = requireRole('admin');

/**
 * Onboarding: the administrative tree (levels are data), cooperatives and farms — read by every
 * logged-in user (farms: those their role shows), created and edited by admins, each write one
 * audited transaction (old → new); POST /api/v1/onboarding/district loads a whole district at once.
 */
export const unitRoutes: FastifyPluginAsyncZod<{
  registry: Registry;
  scoped?: boolean;
  /** publishes a desired config retained on the gateway's config topic (the ingest's MQTT client) */
  publishConfig?: (gatewayId: string, config: GatewayConfig) => Promise<void>;
}> = async (app, { registry, scoped, publishConfig }) => {
  if (scoped) app.addHook('preValidation', requireRole());
  const mustExist = async <T>(what: string, id: string, find: () => Promise<T | undefined | null>) => {
    const x = await find();
    if (!x) throw new NotFoundError(`${what} ${id} does not exist`);
    return x;
  };

  app.get(
    '/api/v1/units',
    {
      schema: {
        tags: ['units'],
        summary: 'Administrative levels and units (province → district → commune → hamlet); units paged, levels whole',
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ levels: z.array(Level), units: z.array(Unit), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const [levels, units] = await Promise.all([registry.listUnitLevels(), registry.listUnits()]);
      const page = pageOf(units, req.query);
      return { levels, units: page.items, hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );
  app.post(
    '/api/v1/units',
    {
      preHandler: admin,
      schema: {
        tags: ['units'],
        summary: 'Create an administrative unit',
        body: z
          .object({ id: Id, parentId: Id.nullable().default(null), level: z.string().min(1).max(32), name: Name })
          .strict(),
        response: { 201: Unit, ...errorResponses },
      },
    },
    async (req, reply) => {
      if ((await registry.listUnits()).some((u) => u.id === req.body.id))
        conflict(`unit ${req.body.id} exists already`);
      await registry.upsertUnit(req.body, currentUser(req).username);
      return reply.status(201).send(req.body);
    },
  );
  app.patch(
    '/api/v1/units/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['units'],
        summary: 'Rename, move or deactivate a unit (a deactivated unit is refused as a new user scope)',
        params: IdParams,
        body: z
          .object({ name: Name.optional(), parentId: Id.nullable().optional(), active: z.boolean().optional() })
          .strict(),
        response: { 200: Unit, ...errorResponses },
      },
    },
    async (req) => {
      const old = await mustExist('unit', req.params.id, async () =>
        (await registry.listUnits()).find((u) => u.id === req.params.id),
      );
      const next = { ...old, ...req.body };
      await registry.upsertUnit(next, currentUser(req).username);
      return next;
    },
  );

  app.get(
    '/api/v1/cooperatives',
    {
      schema: {
        tags: ['cooperatives'],
        summary: 'Cooperatives',
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ cooperatives: z.array(Cooperative), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf(await registry.listCooperatives(), req.query);
      return { cooperatives: page.items, hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );
  app.post(
    '/api/v1/cooperatives',
    {
      preHandler: admin,
      schema: {
        tags: ['cooperatives'],
        summary: 'Create a cooperative',
        body: z.object({ id: Id, name: Name, unitId: Id.nullable().default(null) }).strict(),
        response: { 201: Cooperative, ...errorResponses },
      },
    },
    async (req, reply) => {
      if ((await registry.listCooperatives()).some((c) => c.id === req.body.id))
        conflict(`cooperative ${req.body.id} exists already`);
      await registry.upsertCooperative(req.body, currentUser(req).username);
      return reply.status(201).send(req.body);
    },
  );
  app.patch(
    '/api/v1/cooperatives/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['cooperatives'],
        summary: 'Edit or deactivate a cooperative (a deactivated one is refused as a new user scope)',
        params: IdParams,
        body: z
          .object({ name: Name.optional(), unitId: Id.nullable().optional(), active: z.boolean().optional() })
          .strict(),
        response: { 200: Cooperative, ...errorResponses },
      },
    },
    async (req) => {
      const old = await mustExist('cooperative', req.params.id, async () =>
        (await registry.listCooperatives()).find((c) => c.id === req.params.id),
      );
      const next = { ...old, ...req.body };
      await registry.upsertCooperative(next, currentUser(req).username);
      return next;
    },
  );

  const FarmBody = z
    .object({
      id: Id,
      name: Name,
      owner: z.string().max(200).nullable().default(null),
      unitId: Id,
      cooperativeId: Id.nullable().default(null),
      areaHa: z.number().positive().max(10_000).nullable().default(null),
    })
    .strict();
  app.get(
    '/api/v1/farms',
    {
      schema: {
        tags: ['farms'],
        summary: "Farms I may see (admin: all; technician: my cooperative's; farmer: mine; officer: those of my units)",
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ farms: z.array(Farm), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const page = (farms: z.infer<typeof Farm>[]) => {
        const p = pageOf(farms, req.query);
        return { farms: p.items, hasMore: p.hasMore, nextOffset: p.nextOffset };
      };
      const all = await registry.listFarms();
      const me = req.user;
      if (!scoped || me?.role === 'admin') return page(all);
      if (!me) return page([]);
      // the accounts' farm directory (scoped: the session plugin is on the root)
      const dir = await app.auth.farms.listFarms();
      const mine =
        me.role === 'officer'
          ? new Set(dir.filter((f) => (f.unitIds ?? []).some((u) => me.communes.includes(u))).map((f) => f.id))
          : new Set(visibleFarms(me, dir).map((f) => f.id));
      return page(all.filter((f) => mine.has(f.id)));
    },
  );
  app.post(
    '/api/v1/farms',
    {
      preHandler: admin,
      schema: {
        tags: ['farms'],
        summary: 'Create a farm in a unit, of a cooperative',
        body: FarmBody,
        response: { 201: Farm, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (await registry.getFarm(req.body.id)) conflict(`farm ${req.body.id} exists already`);
      await registry.upsertFarm(req.body, currentUser(req).username);
      return reply.status(201).send(req.body);
    },
  );
  app.patch(
    '/api/v1/farms/:id',
    {
      preHandler: admin,
      schema: {
        tags: ['farms'],
        summary:
          'Edit or deactivate a farm (name, owner, unit, cooperative, area, active: false = its users no longer see it)',
        params: IdParams,
        body: FarmBody.omit({ id: true }).partial().extend({ active: z.boolean().optional() }).strict(),
        response: { 200: Farm, ...errorResponses },
      },
    },
    async (req) => {
      const old = await mustExist('farm', req.params.id, () => registry.getFarm(req.params.id));
      const next = { ...old, ...req.body };
      await registry.upsertFarm(next, currentUser(req).username);
      return next;
    },
  );

  app.post(
    '/api/v1/onboarding/district',
    {
      preHandler: admin,
      schema: {
        tags: ['units'],
        summary:
          "Load a whole district (units, cooperatives, farms with gateways and fields, users): checked as a whole, written all-or-nothing; new users' passwords are returned once",
        body: DistrictFile,
        response: {
          200: z.object({
            units: z.number(),
            cooperatives: z.number(),
            farms: z.number(),
            gateways: z.number(),
            fields: z.number(),
            configs: z.array(z.object({ gatewayId: z.string(), version: z.number() })),
            usersCreated: z.array(z.string()),
            usersUpdated: z.array(z.string()),
            passwords: z.record(z.string(), z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const f = await checkDistrict(req.body, registry);
      const passwords: Record<string, string> = {};
      const r = await applyDistrict(registry, f, currentUser(req).username, async (u) =>
        hashPassword((passwords[u] = generatePassword(16))),
      );
      for (const u of Object.keys(passwords)) if (!r.usersCreated.includes(u)) delete passwords[u];
      // after the commit, like PUT /gateways/:id/config: retained, so an offline gateway gets it on connecting
      for (const c of r.configs) {
        await publishConfig?.(c.gatewayId, c.config).catch((err: unknown) =>
          req.log.warn({ err, gatewayId: c.gatewayId, version: c.version }, 'district config not published'),
        );
      }
      return { ...r, configs: r.configs.map(({ gatewayId, version }) => ({ gatewayId, version })), passwords };
    },
  );
};

function conflict(message: string): never {
  throw new RegistryError('CONFLICT', message);
}
