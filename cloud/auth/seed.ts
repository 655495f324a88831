import { randomUUID } from 'node:crypto';
import { AuthError } from './errors.js';
import { hashPassword } from './password.js';
import type { FarmInfo, Role, StoredUser, UserStore } from './types.js';

export interface DemoLogin { username: string; phone?: string | undefined; password: string; role: Role; name: string }

/** Passwords of the demo accounts: public on purpose, so they exist only in demo mode. */
export const DEMO_PASSWORD = 'demo-ruongso';
const DEFAULT_ADMIN_PASSWORDS = new Set(['', 'admin', 'password', 'demo', 'changeme', DEMO_PASSWORD]);

export interface SeedOptions {
  mode: 'demo' | 'production';
  adminPassword?: string | undefined;
  farms: FarmInfo[];
}

/**
 * Creates the admin (from ADMIN_PASSWORD; production refuses an empty or default one) and, in
 * demo mode, one demo account per role bound to the demo farms. Idempotent: existing usernames
 * are left as they are. Returns the logins to print.
 */
export async function seedUsers(store: UserStore, opts: SeedOptions): Promise<DemoLogin[]> {
  const adminPw = opts.adminPassword ?? (opts.mode === 'demo' ? DEMO_PASSWORD : '');
  if (opts.mode === 'production' && (DEFAULT_ADMIN_PASSWORDS.has(adminPw) || adminPw.length < 12)) {
    throw new AuthError('AUTH_DEFAULT_ADMIN', 'production mode refuses an empty or default admin password: set ADMIN_PASSWORD (12+ characters)');
  }
  const demo = opts.mode === 'demo';
  const farms = opts.farms;
  const coop = farms[0]?.cooperativeId;
  const wanted: Array<Omit<StoredUser, 'passwordHash' | 'id'> & { password: string }> = [
    { username: 'admin', name: demo ? 'Quản trị (demo)' : 'Quản trị', role: 'admin', farmIds: [], communes: [], demo, password: adminPw },
  ];
  if (demo) {
    wanted.push(
      { username: 'nongdan', phone: '0900000001', name: 'Nguyễn Văn Ba (demo)', role: 'farmer', farmIds: farms.slice(0, 1).map((f) => f.id), communes: [], demo, password: DEMO_PASSWORD },
      { username: 'nongdan2', phone: '0900000002', name: 'Trần Thị Tư (demo)', role: 'farmer', farmIds: farms.slice(1, 2).map((f) => f.id), communes: [], demo, password: DEMO_PASSWORD },
      { username: 'kythuat', phone: '0900000003', name: 'Lê Văn Năm — KTV HTX (demo)', role: 'technician', farmIds: [], cooperativeId: coop, communes: [], demo, password: DEMO_PASSWORD },
      { username: 'canbo', phone: '0900000004', name: 'Phạm Thị Sáu — cán bộ NN (demo)', role: 'officer', farmIds: [], communes: [...new Set(farms.map((f) => f.commune))], demo, password: DEMO_PASSWORD },
    );
  }
  const out: DemoLogin[] = [];
  for (const w of wanted) {
    const { password, ...rest } = w;
    if (!(await store.findByLogin(w.username))) {
      await store.create({ ...rest, id: randomUUID(), passwordHash: await hashPassword(password) });
    }
    if (w.demo) out.push({ username: w.username, phone: w.phone, password, role: w.role, name: w.name });
  }
  return out;
}

/** The lines the demo prints at start. */
export function formatDemoLogins(logins: DemoLogin[]): string {
  if (!logins.length) return '';
  const rows = logins.map((l) => `  DEMO ${l.role.padEnd(10)} ${l.username.padEnd(9)} ${(l.phone ?? '').padEnd(11)} password: ${l.password}   (${l.name})`);
  return ['Demo accounts (demo mode only — never use these in production):', ...rows].join('\n');
}
