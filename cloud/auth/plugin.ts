import fp from 'fastify-plugin';
import type { Registry } from '../registry/registry.js';
import { authRoutes, type AuthRoutesOptions } from './routes/auth/index.js';
import { usersRoutes } from './routes/users/index.js';
import { auditRoutes } from './routes/audit/index.js';
import {
  RegistryAuditLog,
  RegistryFarmDirectory,
  RegistrySessionStore,
  RegistryUserStore,
} from './registry-adapters.js';
import { formatDemoLogins, seedUsers, type DemoLogin } from './seed.js';
import { AuthService, type AuthDeps } from './service.js';
import { sessionPlugin } from './session.js';

const DEMO_USERNAMES = new Set(['admin', 'nongdan', 'nongdan2', 'kythuat', 'canbo']);

/** Accounts, sessions, audit trail and farms on the registry's tables (demo mode: the demo logins are demo users). */
export function registryAuthStores(
  registry: Registry,
  mode: 'demo' | 'production',
): Pick<AuthDeps, 'users' | 'sessions' | 'audit' | 'farms'> {
  const farms = new RegistryFarmDirectory(registry);
  return {
    users: new RegistryUserStore(registry, mode === 'demo' ? DEMO_USERNAMES : new Set()),
    sessions: new RegistrySessionStore(registry),
    audit: new RegistryAuditLog(registry, farms),
    farms,
  };
}

export interface AuthPluginOptions extends AuthDeps {
  /** seeds the users at start (production refuses a default admin password) */
  seed?: {
    mode: 'demo' | 'production';
    adminPassword?: string | undefined;
    /** called once with the demo logins (demo mode), e.g. to print them */
    onDemoLogins?: (logins: DemoLogin[], text: string) => void;
  };
  /** login throttling, Secure cookies and what the first page needs (`start`) */
  routes?: AuthRoutesOptions;
  /** origins besides the request's own host that may send cookie-authenticated writes */
  allowedOrigins?: string[];
}

/**
 * Accounts: the AuthService on the given stores as `app.auth`, every request's session resolved
 * at the root (`request.user`), and the login, users and audit routes. Not encapsulated, so the
 * other features' routes can guard themselves with the session (see cloud/auth/index.ts).
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, o) => {
    const { seed, routes, allowedOrigins, ...deps } = o;
    const service = new AuthService(deps);
    if (seed) {
      const logins = await seedUsers(service.users, {
        mode: seed.mode,
        adminPassword: seed.adminPassword,
        farms: await service.farms.listFarms(),
      });
      if (logins.length) seed.onDemoLogins?.(logins, formatDemoLogins(logins));
    }
    await app.register(sessionPlugin, { service, ...(allowedOrigins ? { allowedOrigins } : {}) });
    await app.register(authRoutes, routes ?? {});
    await app.register(usersRoutes);
    await app.register(auditRoutes);
  },
  { name: 'ruongso-accounts', fastify: '5.x' },
);
