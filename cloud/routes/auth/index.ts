import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, requireRole, SESSION_COOKIE } from '../../auth/plugin.js';
import { errorResponses, Ok } from '../../auth/http.js';
import { PublicUser, toPublicUser } from '../../auth/types.js';

export interface AuthRoutesOptions {
  /** login attempts per login name and address per window; default 10 per minute */
  loginMax?: number;
  loginWindowMs?: number;
  secureCookie?: boolean;
}

const LoginBody = z.object({
  login: z.string().trim().min(1, 'enter a username or phone number').max(64),
  password: z.string().min(1, 'enter the password').max(200),
});

/** POST /api/v1/auth/login | logout | password, GET /api/v1/auth/me. Needs authPlugin on the root. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  await app.register(rateLimit, { global: false });
  const auth = app.auth;

  app.post('/api/v1/auth/login', {
    config: {
      rateLimit: {
        max: opts.loginMax ?? 10,
        timeWindow: opts.loginWindowMs ?? 60_000,
        keyGenerator: (req) => `${req.ip}|${String((req.body as { login?: unknown } | undefined)?.login ?? '').toLowerCase()}`,
      },
    },
    schema: {
      tags: ['auth'], summary: 'Log in with username or phone and password; sets an httpOnly cookie and returns a bearer token',
      body: LoginBody,
      response: { 200: z.object({ token: z.string(), expiresAt: z.number(), user: PublicUser }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { token, user, expiresAt } = await auth.login(req.body.login, req.body.password);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'lax', path: '/', secure: opts.secureCookie ?? false, expires: new Date(expiresAt),
    });
    return { token, expiresAt, user: toPublicUser(user) };
  });

  app.post('/api/v1/auth/logout', {
    preHandler: requireRole(),
    schema: { tags: ['auth'], summary: 'End this session', response: { 200: Ok, ...errorResponses } },
  }, async (req, reply) => {
    if (req.sessionToken) await auth.logout(req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', {
    preHandler: requireRole(),
    schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: PublicUser, ...errorResponses } },
  }, async (req) => toPublicUser(currentUser(req)));

  app.post('/api/v1/auth/password', {
    preHandler: requireRole(),
    schema: {
      tags: ['auth'], summary: 'Change my password (ends my other sessions)',
      body: z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (req, reply) => {
    await auth.changePassword(currentUser(req), req.body.current, req.body.next);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
};
