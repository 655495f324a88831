import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AuthError } from './errors.js';
import type { AuthService } from './service.js';
import type { Role, StoredUser } from './types.js';

export const SESSION_COOKIE = 'rs_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by the auth plugin when a valid cookie or bearer token came with the request */
    user: StoredUser | null;
    sessionToken: string | null;
  }
  interface FastifyInstance {
    auth: AuthService;
  }
}

export interface AuthPluginOptions {
  service: AuthService;
  /** Secure cookies (HTTPS only); default: true in production mode */
  secureCookie?: boolean;
}

function tokenOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim() || null;
  return req.cookies?.[SESSION_COOKIE] ?? null;
}

/**
 * Resolves the session of every request (cookie `rs_session` or `Authorization: Bearer`) into
 * `request.user`; routes then guard themselves with `requireRole(...)`. Not encapsulated, so it
 * is registered once on the root app.
 */
export const authPlugin = fp<AuthPluginOptions>(async (app, opts) => {
  if (!app.hasPlugin('@fastify/cookie')) await app.register(cookie);
  app.decorate('auth', opts.service);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    const token = tokenOf(req);
    if (!token) return;
    const user = await opts.service.authenticate(token);
    if (user) { req.user = user; req.sessionToken = token; }
  });
}, { name: 'ruongso-auth', fastify: '5.x' });

/** A preHandler that lets only logged-in users with one of the roles through (401 / 403). */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (req) => {
    if (!req.user) throw new AuthError('AUTH_REQUIRED', 'log in first');
    if (roles.length && !roles.includes(req.user.role)) {
      throw new AuthError('AUTH_FORBIDDEN', `this needs the role ${roles.join(' or ')}; you are ${req.user.role}`);
    }
  };
}

/** The logged-in user of a request guarded by requireRole. */
export function currentUser(req: FastifyRequest): StoredUser {
  if (!req.user) throw new AuthError('AUTH_REQUIRED', 'log in first');
  return req.user;
}

/**
 * The error handler of our route plugins (each sets it in its own encapsulated scope): our errors keep
 * their status and code, validation errors become 400 with
 * the first issues, 5xx hide their internals.
 */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AuthError) {
    return reply.status(err.status).send({ error: err.code, message: err.message });
  }
  const e = err as { validation?: unknown; statusCode?: number; message?: string; code?: string };
  if (e.validation) return reply.status(400).send({ error: 'BAD_REQUEST', message: e.message ?? 'invalid request' });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return reply.status(e.statusCode).send({ error: e.code ?? 'BAD_REQUEST', message: e.message ?? 'bad request' });
  }
  req.log.error({ err }, 'request failed');
  return reply.status(500).send({ error: 'INTERNAL', message: 'something went wrong on the server; try again' });
}
