import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  currentUser,
  requireRole,
  errorResponses,
  AuthError,
  hashPassword,
  PublicUser,
  Role,
  toPublicUser,
  type StoredUser,
  type User,
  type AuthService,
} from '../../index.js';
import { normalizePhone } from '../../../registry/phone.js';
import { MAX_PAGE, PageFields, pageOf, pageQuery } from '../../../http/paging.js';

const Phone = z
  .string()
  .max(32)
  .refine((s) => normalizePhone(s) !== null, {
    message: 'phone: not a valid phone number (e.g. 0912345678 or +84912345678)',
    params: { code: 'phone_invalid' },
  });
const Ids = (what: string) => z.array(z.string().min(1).max(64)).max(100, `at most 100 ${what}`);

export const CreateUser = z
  .object({
    username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3–32 of a-z, 0-9, ".", "_" or "-"'),
    phone: Phone.optional(),
    name: z.string().trim().min(1).max(100),
    role: Role,
    password: z.string().min(1).max(200),
    /** farmer: every farm they own */
    farmIds: Ids('farms').default([]),
    /** technician: their cooperative */
    cooperativeId: z.string().min(1).max(64).optional(),
    /** officer: administrative unit ids (communes, or a district) */
    communes: Ids('communes').default([]),
  })
  .strict();

export const EditUser = z
  .object({
    phone: Phone.nullable().optional(),
    name: z.string().trim().min(1).max(100).optional(),
    role: Role.optional(),
    farmIds: Ids('farms').optional(),
    cooperativeId: z.string().min(1).max(64).nullable().optional(),
    communes: Ids('communes').optional(),
    active: z.boolean().optional(),
  })
  .strict();

const UserParams = z.object({ id: z.string().min(1).max(64) });

/** Technicians manage the farmers of their cooperative's farms; admins everyone. */
async function manages(auth: AuthService, me: User, u: StoredUser): Promise<boolean> {
  if (me.role === 'admin') return true;
  if (me.role !== 'technician' || u.role !== 'farmer' || !me.cooperativeId) return false;
  const farms = new Set(
    (await auth.farms.listFarms()).filter((f) => f.cooperativeId === me.cooperativeId).map((f) => f.id),
  );
  return u.farmIds.some((id) => farms.has(id));
}

/**
 * Users: GET /api/v1/users, GET /api/v1/users/:id (admin: everyone; technician: the farmers of
 * their cooperative's farms), POST (admin), PATCH /api/v1/users/:id (admin: scopes, role,
 * active). A user one may not see answers 404, like one that does not exist.
 */
export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.auth;
  const mustSee = async (me: User, id: string) => {
    const u = await auth.users.find(id);
    if (!u || !(await manages(auth, me, u))) throw new AuthError('USER_NOT_FOUND', `user ${id} does not exist`, { id });
    return u;
  };

  app.get(
    '/api/v1/users',
    {
      preHandler: requireRole('admin', 'technician'),
      schema: {
        tags: ['users'],
        summary: 'Users I manage',
        querystring: pageQuery(MAX_PAGE),
        response: { 200: z.object({ users: z.array(PublicUser), ...PageFields }), ...errorResponses },
      },
    },
    async (req) => {
      const me = currentUser(req);
      const all = await auth.users.list();
      const mine = await Promise.all(all.map((u) => manages(auth, me, u)));
      const page = pageOf(
        all.filter((_, i) => mine[i]),
        req.query,
      );
      return { users: page.items.map(toPublicUser), hasMore: page.hasMore, nextOffset: page.nextOffset };
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      preHandler: requireRole('admin', 'technician'),
      schema: {
        tags: ['users'],
        summary: 'One user I manage',
        params: UserParams,
        response: { 200: PublicUser, ...errorResponses },
      },
    },
    async (req) => toPublicUser(await mustSee(currentUser(req), req.params.id)),
  );

  app.post(
    '/api/v1/users',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['users'],
        summary: 'Create a user with a role and scopes (farms, cooperative, communes)',
        body: CreateUser,
        response: { 201: PublicUser, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { password, ...b } = req.body;
      auth.checkPassword(password, b.username);
      const user = await auth.users.create(
        { ...b, demo: false, passwordHash: await hashPassword(password) },
        currentUser(req).username,
      );
      await auth.record(currentUser(req), 'user.create', `user:${user.id}`, undefined, toPublicUser(user));
      return reply.status(201).send(toPublicUser(user));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['users'],
        summary:
          'Edit a user: scopes given replace the old ones; active=false deactivates (every session ends at once)',
        params: UserParams,
        body: EditUser,
        response: { 200: PublicUser, ...errorResponses },
      },
    },
    async (req) => {
      const me = currentUser(req);
      const before = await mustSee(me, req.params.id);
      const { active, ...rest } = req.body;
      if (before.id === me.id && (active === false || (rest.role && rest.role !== 'admin'))) {
        throw new AuthError('USER_INVALID', 'an admin cannot deactivate or demote themselves', {
          field: active === false ? 'active' : 'role',
        });
      }
      const after = await auth.users.update(
        before.id,
        { ...rest, ...(active !== undefined ? { disabled: !active } : {}) },
        me.username,
      );
      // a deactivated user is out at once; new scopes reach every request at once (the session is
      // read each time), and live streams reconnect to pick them up
      if (after.disabled) await auth.endSessionsOf(after.id);
      else if (rest.role || rest.farmIds || rest.communes || rest.cooperativeId !== undefined)
        auth.closeStreamsOf(after.id);
      await auth.record(
        me,
        active === false ? 'user.deactivate' : 'user.update',
        `user:${after.id}`,
        toPublicUser(before),
        toPublicUser(after),
      );
      return toPublicUser(after);
    },
  );
};
