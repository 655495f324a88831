import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { makeErrorHandler } from '../routes/errors.js';
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
 * Kept for route plugins that still set their own handler: it is the one handler of
 * routes/errors.ts, so every error is mapped in one place whichever plugin threw it.
 */
export const errorHandler = makeErrorHandler();
