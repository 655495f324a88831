import { createHash, randomBytes } from 'node:crypto';
import { systemClock, days, type Clock } from '../../lib/time.js';
import { log } from '../../lib/log.js';
import { AuthError } from './errors.js';
import { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password.js';
import type { AuditEntry, AuditLog, FarmDirectory, SessionStore, StoredUser, User, UserStore } from './types.js';

const logger = log.child({ mod: 'auth' });

export interface AuthDeps {
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  farms: FarmDirectory;
  clock?: Clock;
  /** default 7 days: a farmer on a phone should not log in every morning */
  sessionTtlMs?: number;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Login, sessions, password change and the audit trail; no HTTP in here. */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly farms: FarmDirectory;
  readonly clock: Clock;
  readonly ttlMs: number;
  // a hash to verify against when the login is unknown, so timing does not tell who exists
  private dummyHash: Promise<string> | undefined;

  constructor(d: AuthDeps) {
    this.users = d.users; this.sessions = d.sessions; this.audit = d.audit; this.farms = d.farms;
    this.clock = d.clock ?? systemClock;
    this.ttlMs = d.sessionTtlMs ?? days(7);
  }

  async login(login: string, password: string): Promise<{ token: string; user: StoredUser; expiresAt: number }> {
    const user = await this.users.findByLogin(login);
    if (!user) {
      this.dummyHash ??= hashPassword('not-a-user');
      await verifyPassword(password, await this.dummyHash);
      throw new AuthError('AUTH_BAD_CREDENTIALS', 'wrong login or password');
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      logger.info({ userId: user.id }, 'login failed');
      throw new AuthError('AUTH_BAD_CREDENTIALS', 'wrong login or password');
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now + this.ttlMs;
    await this.sessions.put({ tokenHash: tokenHash(token), userId: user.id, createdAt: now, expiresAt });
    return { token, user, expiresAt };
  }

  /** The user behind a token, or undefined when unknown or expired (expired ones are removed). */
  async authenticate(token: string): Promise<StoredUser | undefined> {
    const h = tokenHash(token);
    const s = await this.sessions.get(h);
    if (!s) return undefined;
    if (s.expiresAt <= this.clock.now()) {
      await this.sessions.delete(h);
      return undefined;
    }
    return this.users.get(s.userId);
  }

  async logout(token: string): Promise<void> {
    await this.sessions.delete(tokenHash(token));
  }

  async changePassword(user: User, current: string, next: string): Promise<void> {
    const stored = await this.users.get(user.id);
    if (!stored || !(await verifyPassword(current, stored.passwordHash))) {
      throw new AuthError('AUTH_BAD_CREDENTIALS', 'the current password is wrong');
    }
    checkStrength(next, user.username);
    await this.users.setPasswordHash(user.id, await hashPassword(next));
    // every other device must log in again with the new password
    await this.sessions.deleteForUser(user.id);
    await this.record(user, 'user.password', `user:${user.id}`, undefined, undefined);
  }

  async record(actor: User | 'system', action: string, target: string, old: unknown, next: unknown, where: Pick<AuditEntry, 'farmId' | 'cooperativeId'> = {}): Promise<void> {
    await this.audit.append({
      ts: this.clock.now(),
      actor: actor === 'system' ? 'system' : actor.username,
      role: actor === 'system' ? 'system' : actor.role,
      action, target, old, new: next, ...where,
    });
  }
}

export function checkStrength(pw: string, username: string): void {
  if (pw.length < MIN_PASSWORD_LENGTH) throw new AuthError('AUTH_WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (pw.toLowerCase().includes(username.toLowerCase())) throw new AuthError('AUTH_WEAK_PASSWORD', 'a password must not contain the username');
}
