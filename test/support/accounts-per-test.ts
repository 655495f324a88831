import { afterEach } from 'vitest';
import { unitRoutes } from '../../cloud/routes/units/index.js';
import type { GatewayConfig } from '../../protocol/index.js';
import { accountsOnRegistry } from './accounts-app.js';

type Accounts = Awaited<ReturnType<typeof accountsOnRegistry>>;
type Options = NonNullable<Parameters<typeof accountsOnRegistry>[0]>;

/** The unit, cooperative, farm and onboarding routes, scoped by role as in the cloud. */
export function withUnitRoutes(publishConfig?: (gatewayId: string, config: GatewayConfig) => Promise<void>): Options {
  return {
    extend: async (app, reg) => {
      await app.register(unitRoutes, { registry: reg, scoped: true, ...(publishConfig ? { publishConfig } : {}) });
    },
  };
}

/**
 * accountsOnRegistry one test at a time: what a test starts is closed after it. Every start
 * comes with the admin's requests (`admin`), since these tests act as the admin first.
 */
export function accountsPerTest(): (o?: Options) => Promise<{ t: Accounts; admin: Session }> {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await done?.();
    done = undefined;
  });
  return async (o) => {
    const t = await accountsOnRegistry(o);
    done = t.done;
    return { t, admin: session(t, await t.login('admin')) };
  };
}

export type Session = ReturnType<typeof session>;

/** Requests made with one login's headers; each answers the whole response, for the test to judge. */
export function session(t: Accounts, headers: Record<string, string>) {
  return {
    headers,
    get: (url: string) => t.app.inject({ url, headers }),
    post: (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers, payload }),
    patch: (url: string, payload: object) => t.app.inject({ method: 'PATCH', url, headers, payload }),
  };
}
