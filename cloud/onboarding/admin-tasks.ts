import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { RuongSoError } from '../../lib/errors.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { applyDistrict, checkDistrict, OnboardingError, type OnboardingResult } from './onboarding.js';
import type { NewUser, Registry, Role } from '../registry/registry.js';

/** What `ruongso admin …` does, on a registry opened from the configuration (no HTTP). */
export class AdminError extends RuongSoError<'ADMIN_INPUT' | 'USER_NOT_FOUND' | 'NOT_FOUND'> {}

export const ADMIN_ACTOR = 'admin-cli';

/** Loads a district file (YAML or JSON); `dryRun` checks only. New users' passwords are returned once. */
export async function loadDistrictFile(
  reg: Registry,
  file: string,
  o: { dryRun?: boolean } = {},
): Promise<{ result?: OnboardingResult; passwords: Record<string, string> }> {
  let data: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    data = path.extname(file) === '.json' ? JSON.parse(text) : YAML.parse(text);
  } catch (cause) {
    throw new AdminError('ADMIN_INPUT', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  const checked = await checkDistrict(data, reg);
  if (o.dryRun) return { passwords: {} };
  const passwords: Record<string, string> = {};
  const result = await applyDistrict(reg, checked, ADMIN_ACTOR, async (u) =>
    hashPassword((passwords[u] = generatePassword(16))),
  );
  // only the users really created keep a printed password
  for (const u of Object.keys(passwords)) if (!result.usersCreated.includes(u)) delete passwords[u];
  return { result, passwords };
}

export interface AddUser {
  username: string;
  name: string;
  role: Role;
  phone?: string;
  farms?: string[];
  communes?: string[];
  cooperative?: string;
  password?: string;
}

/** Creates one user; without a password one is generated (returned once). */
export async function addUser(reg: Registry, u: AddUser): Promise<{ id: string; password: string }> {
  const password = u.password ?? generatePassword(16);
  const why = checkPasswordPolicy(password, { username: u.username, mode: 'production' });
  if (why) throw new AdminError('ADMIN_INPUT', `password refused: ${why.reason}`);
  const nu: NewUser = {
    username: u.username,
    displayName: u.name,
    role: u.role,
    phone: u.phone ?? null,
    farmIds: u.farms ?? [],
    unitIds: u.communes ?? [],
    cooperativeId: u.cooperative ?? null,
    passwordHash: await hashPassword(password),
  };
  const created = await reg.createUser(nu, ADMIN_ACTOR, Date.now());
  return { id: created.id, password };
}

export async function setActive(reg: Registry, username: string, active: boolean): Promise<void> {
  const u = (await reg.listUsers()).find((x) => x.username === username);
  if (!u) throw new AdminError('USER_NOT_FOUND', `no user ${username}`);
  await reg.updateUser(u.id, { disabled: !active }, ADMIN_ACTOR, Date.now());
}

/** Deactivates (or reactivates) a unit, cooperative or farm, audited like the API's PATCH {active}. */
export async function setEntityActive(
  reg: Registry,
  kind: 'unit' | 'cooperative' | 'farm',
  id: string,
  active: boolean,
): Promise<void> {
  if (kind === 'farm') {
    const f = await reg.getFarm(id);
    if (!f) throw new AdminError('NOT_FOUND', `no farm ${id}`);
    return reg.upsertFarm({ ...f, active }, ADMIN_ACTOR);
  }
  if (kind === 'unit') {
    const u = (await reg.listUnits()).find((x) => x.id === id);
    if (!u) throw new AdminError('NOT_FOUND', `no unit ${id}`);
    return reg.upsertUnit({ ...u, active }, ADMIN_ACTOR);
  }
  const c = (await reg.listCooperatives()).find((x) => x.id === id);
  if (!c) throw new AdminError('NOT_FOUND', `no cooperative ${id}`);
  return reg.upsertCooperative({ ...c, active }, ADMIN_ACTOR);
}

/** One line per problem of a district file, for the terminal. */
export function formatIssues(err: OnboardingError): string {
  return err.issues.map((i) => `  ${i.path}: ${i.code}${i.params ? ` ${JSON.stringify(i.params)}` : ''}`).join('\n');
}
