import { AuthError } from './errors.js';
import { hashPassword, verifyPassword } from './password.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { FarmInfo, NewAccount, Role, UserStore } from './types.js';

export interface DemoLogin {
  username: string;
  phone?: string | undefined;
  password: string;
  role: Role;
  name: string;
}

/**
 * The password of the demo accounts when the caller gives none: for tests and in-process demos
 * only. `ruongso demo`, `npm start` and `ruongso cloud` in demo mode generate one per data
 * directory instead (cloud/demo/credentials.ts) and pass it as adminPassword.
 */
export const DEMO_PASSWORD = 'demo-ruongso';

export interface SeedOptions {
  mode: 'demo' | 'production';
  /** production: the first admin's password (checked by the policy); demo: every demo account's */
  adminPassword?: string | undefined;
  farms: FarmInfo[];
}

type Wanted = Omit<NewAccount, 'passwordHash'> & { password: string };

function demoAccounts(farms: FarmInfo[], password: string): Wanted[] {
  const coop = farms[0]?.cooperativeId;
  // the officer reports on every commune the demo farms lie in (unit ids where the registry has them)
  const communes = [...new Set(farms.map((f) => f.communeId ?? f.commune).filter((c) => c))];
  const base = { demo: true, password, farmIds: [] as string[], communes: [] as string[] };
  return [
    { ...base, username: 'admin', name: 'Quản trị (demo)', role: 'admin' },
    {
      ...base,
      username: 'nongdan',
      phone: '0900000001',
      name: 'Nguyễn Văn Ba (demo)',
      role: 'farmer',
      farmIds: farms.slice(0, 1).map((f) => f.id),
    },
    {
      ...base,
      username: 'nongdan2',
      phone: '0900000002',
      name: 'Trần Thị Tư (demo)',
      role: 'farmer',
      farmIds: farms.slice(1, 2).map((f) => f.id),
    },
    {
      ...base,
      username: 'kythuat',
      phone: '0900000003',
      name: 'Lê Văn Năm — KTV HTX (demo)',
      role: 'technician',
      ...(coop ? { cooperativeId: coop } : {}),
    },
    {
      ...base,
      username: 'canbo',
      phone: '0900000004',
      name: 'Phạm Thị Sáu — cán bộ NN (demo)',
      role: 'officer',
      communes,
    },
  ];
}

/**
 * Production: creates the admin from ADMIN_PASSWORD when there is none yet (a weak or default
 * password is refused with the policy's reason; an ADMIN_PASSWORD that is set is checked even
 * when the admin exists). Demo: one account per role bound to the demo farms; existing demo
 * accounts get the current password and scopes, so what is printed is what works.
 */
export async function seedUsers(store: UserStore, opts: SeedOptions): Promise<DemoLogin[]> {
  if (opts.mode === 'production') {
    const existing = await store.findByLogin('admin');
    if (opts.adminPassword === undefined && existing) return [];
    const pw = opts.adminPassword ?? '';
    const why = checkPasswordPolicy(pw, { username: 'admin', mode: 'production' });
    if (why)
      throw new AuthError(
        'AUTH_DEFAULT_ADMIN',
        `production mode refuses this ADMIN_PASSWORD (${why.reason}): set a strong one, at least 12 characters`,
        { reason: why.reason },
      );
    if (!existing)
      await store.create({
        username: 'admin',
        name: 'Quản trị',
        role: 'admin',
        farmIds: [],
        communes: [],
        demo: false,
        passwordHash: await hashPassword(pw),
      });
    return [];
  }
  const password = opts.adminPassword ?? DEMO_PASSWORD;
  const out: DemoLogin[] = [];
  for (const { password: pw, ...w } of demoAccounts(opts.farms, password)) {
    const found = (await store.list()).find((u) => u.username === w.username);
    if (!found) await store.create({ ...w, passwordHash: await hashPassword(pw) });
    else {
      // a new password would end the demo users' sessions: only when it really changed
      const current = await store.findByLogin(w.username);
      if (!current || !(await verifyPassword(pw, current.passwordHash)))
        await store.setPasswordHash(found.id, await hashPassword(pw));
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
      if (
        !same(found.farmIds, w.farmIds) ||
        !same(found.communes, w.communes) ||
        found.disabled ||
        (w.cooperativeId && found.cooperativeId !== w.cooperativeId)
      ) {
        await store.update(found.id, {
          farmIds: w.farmIds,
          communes: w.communes,
          ...(w.cooperativeId ? { cooperativeId: w.cooperativeId } : {}),
          disabled: false,
        });
      }
    }
    out.push({ username: w.username, phone: w.phone, password: pw, role: w.role, name: w.name });
  }
  return out;
}

/** The lines the demo prints at start. */
export function formatDemoLogins(logins: DemoLogin[]): string {
  if (!logins.length) return '';
  const rows = logins.map(
    (l) =>
      `  DEMO ${l.role.padEnd(10)} ${l.username.padEnd(9)} ${(l.phone ?? '').padEnd(11)} password: ${l.password}   (${l.name})`,
  );
  return [
    'Demo accounts (demo mode only — generated for this data directory, never use them in production):',
    ...rows,
  ].join('\n');
}
