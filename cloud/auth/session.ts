import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
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

export interface SessionPluginOptions {
  service: AuthService;
  /** origins besides the request's own host that may send cookie-authenticated writes (PUBLIC_URL) */
  allowedOrigins?: string[];
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
export const sessionPlugin = fp<SessionPluginOptions>(
  async (app, opts) => {
    if (!app.hasPlugin('@fastify/cookie')) await app.register(cookie);
    app.decorate('auth', opts.service);
    app.decorateRequest('user', null);
    app.decorateRequest('sessionToken', null);
    app.addHook('onRoute', (route) => guardsFirst(route as { preHandler?: unknown; preValidation?: unknown }));
    const allowed = new Set((opts.allowedOrigins ?? []).map((o) => new URL(o).host));
    app.addHook('onRequest', async (req) => {
      refuseCrossSiteWrite(req, allowed);
      const token = tokenOf(req);
      if (!token) return;
      const user = await opts.service.authenticate(token);
      if (user) {
        req.user = user;
        req.sessionToken = token;
      }
    });
  },
  { name: 'ruongso-auth', fastify: '5.x' },
);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence: a write that a browser could send on its own (cookie, not a bearer header) must
 * come from our own pages — `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or an
 * `Origin` whose host is the request's Host or an allowed origin. A client that sends neither
 * header is not a browser, and so cannot be made to send the request by another site.
 */
export function refuseCrossSiteWrite(req: FastifyRequest, allowedHosts: ReadonlySet<string> = new Set()): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (/^Bearer\s+/i.test(req.headers.authorization ?? '')) return;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  let fromHost: string | null = null;
  if (origin) {
    try {
      fromHost = origin === 'null' ? 'null' : new URL(origin).host;
    } catch {
      fromHost = 'invalid';
    }
  }
  const ownHost = req.headers.host ?? '';
  const originOk = fromHost === null || fromHost === ownHost || allowedHosts.has(fromHost);
  const siteOk =
    site === undefined ||
    site === 'same-origin' ||
    site === 'none' ||
    (site === 'same-site' && originOk && fromHost !== null);
  if (!originOk || !siteOk) {
    throw new AuthError(
      'AUTH_ORIGIN_REFUSED',
      `a ${req.method} from ${origin ?? site} is refused: writes come from this site's own pages`,
      { origin: origin ?? '', site: String(site ?? '') },
    );
  }
}

const GUARD = Symbol('ruongso.roleGuard');

/**
 * A guard that lets only logged-in users with one of the roles through (401 / 403). Given as a
 * route's preHandler, the auth plugin moves it to preValidation: who may call a route is decided
 * before its body is validated, so a role without access gets 403, never a schema's 400.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  const guard = async (req: FastifyRequest) => {
    if (!req.user) throw new AuthError('AUTH_REQUIRED', 'log in first');
    if (roles.length && !roles.includes(req.user.role)) {
      throw new AuthError('AUTH_FORBIDDEN', `this needs the role ${roles.join(' or ')}; you are ${req.user.role}`);
    }
  };
  return Object.assign(guard, { [GUARD]: true });
}

const isGuard = (h: unknown) => typeof h === 'function' && (h as unknown as Record<symbol, unknown>)[GUARD] === true;

/** onRoute: role guards out of preHandler, to the front of preValidation. */
function guardsFirst(route: { preHandler?: unknown; preValidation?: unknown }): void {
  const pre = route.preHandler === undefined ? [] : [route.preHandler].flat();
  const guards = pre.filter(isGuard);
  if (!guards.length) return;
  const rest = pre.filter((h) => !isGuard(h));
  route.preHandler = rest.length ? rest : undefined;
  route.preValidation = [...guards, ...(route.preValidation === undefined ? [] : [route.preValidation].flat())];
}

/** The logged-in user of a request guarded by requireRole. */
export function currentUser(req: FastifyRequest): StoredUser {
  if (!req.user) throw new AuthError('AUTH_REQUIRED', 'log in first');
  return req.user;
}
