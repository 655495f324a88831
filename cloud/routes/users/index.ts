import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, errorHandler, requireRole } from '../../auth/plugin.js';
import { errorResponses } from '../../auth/http.js';
import { AuthError } from '../../auth/errors.js';
import { hashPassword } from '../../auth/password.js';
import { checkStrength } from '../../auth/service.js';
import { PublicUser, Role, toPublicUser } from '../../auth/types.js';

const CreateUser = z.object({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'username: 3–32 of a-z, 0-9, ".", "_" or "-"'),
  phone: z.string().regex(/^\+?[0-9 ]{9,15}$/, 'phone: digits, e.g. 0912345678').optional(),
  name: z.string().min(1).max(100),
  role: Role,
  password: z.string().min(1).max(200),
  farmIds: z.array(z.string().max(64)).max(100).default([]),
  cooperativeId: z.string().max(64).optional(),
  communes: z.array(z.string().max(100)).max(100).default([]),
});

/**
 * GET /api/v1/users (admin: everyone; technician: the farmers of their cooperative's farms)
 * and POST /api/v1/users (admin).
 */
export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.setErrorHandler(errorHandler);
  const auth = app.auth;

  app.get('/api/v1/users', {
    preHandler: requireRole('admin', 'technician'),
    schema: { tags: ['users'], summary: 'Users I manage', response: { 200: z.object({ users: z.array(PublicUser) }), ...errorResponses } },
  }, async (req) => {
    const me = currentUser(req);
    let users = await auth.users.list();
    if (me.role === 'technician') {
      const farms = (await auth.farms.listFarms()).filter((f) => f.cooperativeId === me.cooperativeId).map((f) => f.id);
      users = users.filter((u) => u.role === 'farmer' && u.farmIds.some((id) => farms.includes(id)));
    }
    return { users: users.map(toPublicUser) };
  });

  app.post('/api/v1/users', {
    preHandler: requireRole('admin'),
    schema: { tags: ['users'], summary: 'Create a user', body: CreateUser, response: { 201: PublicUser, ...errorResponses } },
  }, async (req, reply) => {
    const b = req.body;
    checkStrength(b.password, b.username);
    if (await auth.users.findByLogin(b.username) || (b.phone && await auth.users.findByLogin(b.phone))) {
      throw new AuthError('CONFLICT', `username or phone already in use: ${b.username}`);
    }
    const { password, ...rest } = b;
    const user = { ...rest, id: randomUUID(), demo: false, passwordHash: await hashPassword(password) };
    await auth.users.create(user);
    await auth.record(currentUser(req), 'user.create', `user:${user.id}`, undefined, toPublicUser(user));
    return reply.status(201).send(toPublicUser(user));
  });
};
