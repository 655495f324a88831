import rateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  currentUser,
  requireRole,
  SESSION_COOKIE,
  errorResponses,
  Ok,
  PublicUser,
  toPublicUser,
  AuthError,
  type User,
} from '../../index.js';
import { normalizePhone } from '../../../registry/phone.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface AuthRoutesOptions {
  /** login attempts per (login name, address) per window; default 10 per minute */
  loginMax?: number;
  /** login attempts per address per window, whatever the names; default 10 × loginMax */
  loginMaxPerAddress?: number;
  loginWindowMs?: number;
  secureCookie?: boolean;
  /** what the user's first page needs, answered with the login (`start`) */
  start?: LoginStart;
}

/**
 * The login's `start`: its schema, owned by the feature that answers it (control's `farmerStart`),
 * and how to read it for a user (null = nothing). Given by app.ts, so accounts import no feature.
 */
export interface LoginStart<T = unknown> {
  schema: z.ZodType<T>;
  of: (user: User) => Promise<T | null>;
}

const LoginBody = z.object({
  login: z.string().trim().min(1, 'enter a username or phone number').max(64),
  password: z.string().min(1, 'enter the password').max(200),
});

/** POST /api/v1/auth/login | logout | password, GET /api/v1/auth/me. Needs authPlugin on the root. */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  await app.register(rateLimit, { global: false });
  const auth = app.auth;
  const max = opts.loginMax ?? 10;
  const timeWindow = opts.loginWindowMs ?? 60_000;
  // one key per account whatever the spelling: "+84 900…" and "0900…" count together
  const loginOf = (req: FastifyRequest) => {
    const raw = (req.body as { login?: unknown } | undefined)?.login;
    const l = (typeof raw === 'string' ? raw : '').trim().toLowerCase();
    return normalizePhone(l) ?? l;
  };
  // two counters: a wrong guess at one name cannot lock out another name behind the same address
  // (a village shares one carrier-grade NAT address), and one address still cannot try every name
  const limits = [
    {
      scope: 'login',
      check: app.createRateLimit({ max, timeWindow, keyGenerator: (req) => `login|${req.ip}|${loginOf(req)}` }),
    },
    {
      scope: 'address',
      check: app.createRateLimit({
        max: opts.loginMaxPerAddress ?? max * 10,
        timeWindow,
        keyGenerator: (req) => `addr|${req.ip}`,
      }),
    },
  ];
  // preHandler, not onRequest: the body (the login name) is parsed by then
  const throttle = async (req: FastifyRequest, reply: FastifyReply) => {
    const results = await Promise.all(limits.map(async (l) => ({ ...l, r: await l.check(req) })));
    for (const { scope, r } of results) {
      if (!r.isAllowed && r.isExceeded) {
        reply.header('retry-after', r.ttlInSeconds);
        throw new AuthError(
          'AUTH_RATE_LIMITED',
          `too many login attempts (${scope}); try again in ${r.ttlInSeconds} s`,
          { scope, retryAfterS: r.ttlInSeconds },
        );
      }
    }
  };

  app.post(
    '/api/v1/auth/login',
    {
      preHandler: throttle,
      schema: {
        tags: ['auth'],
        summary: 'Log in with username or phone and password; sets an httpOnly cookie and returns a bearer token',
        body: LoginBody,
        response: {
          200: z.object({
            token: z.string(),
            expiresAt: z.number(),
            user: PublicUser,
            start: (opts.start?.schema ?? z.null()).nullable().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const { token, user, expiresAt } = await auth.login(req.body.login, req.body.password);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: opts.secureCookie ?? false,
        expires: new Date(expiresAt),
      });
      const start = opts.start ? await opts.start.of(user) : undefined;
      return { token, expiresAt, user: toPublicUser(user), ...(start !== undefined ? { start } : {}) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      preHandler: requireRole(),
      schema: { tags: ['auth'], summary: 'End this session', response: { 200: Ok, ...errorResponses } },
    },
    async (req, reply) => {
      if (req.sessionToken) await auth.logout(req.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      preHandler: requireRole(),
      schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: PublicUser, ...errorResponses } },
    },
    async (req) => toPublicUser(currentUser(req)),
  );

  app.post(
    '/api/v1/auth/password',
    {
      preHandler: requireRole(),
      schema: {
        tags: ['auth'],
        summary: 'Change my password (ends my other sessions)',
        body: z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req, reply) => {
      await auth.changePassword(currentUser(req), req.body.current, req.body.next);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
};
