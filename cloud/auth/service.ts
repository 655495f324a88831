import { createHash, randomBytes } from 'node:crypto';
import { systemClock, days, type Clock } from '../../lib/time.js';
import { log } from '../../lib/log.js';
import { AuthError } from './errors.js';
import { hashPassword, verifyPassword } from './password.js';
import { checkPasswordPolicy } from './password-policy.js';
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
  /** which password policy applies; default production (the strict one) */
  mode?: 'demo' | 'production';
}

/** A live connection (SSE) that must close when its session ends. */
interface Watch {
  tokenHash: string | null;
  userId: string;
  end: () => void;
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
  readonly mode: 'demo' | 'production';
  // a hash to verify against when the login is unknown, so timing does not tell who exists
  private dummyHash: Promise<string> | undefined;
  private readonly watches = new Set<Watch>();

  constructor(d: AuthDeps) {
    this.users = d.users;
    this.sessions = d.sessions;
    this.audit = d.audit;
    this.farms = d.farms;
    this.clock = d.clock ?? systemClock;
    this.ttlMs = d.sessionTtlMs ?? days(7);
    this.mode = d.mode ?? 'production';
  }

  /**
   * Calls `end` when this session ends in this process (logout, password change, deactivation);
   * returns the unwatch function. Live streams close with their session this way.
   */
  watchSession(token: string | null, userId: string, end: () => void): () => void {
    const w: Watch = { tokenHash: token ? tokenHash(token) : null, userId, end };
    this.watches.add(w);
    return () => {
      this.watches.delete(w);
    };
  }

  private endWatches(match: (w: Watch) => boolean): void {
    for (const w of [...this.watches]) {
      if (!match(w)) continue;
      this.watches.delete(w);
      try {
        w.end();
      } catch (err) {
        logger.warn({ err }, 'closing a live connection failed');
      }
    }
  }

  /** Ends every session of a user at once (deactivation, scope change), live streams included. */
  async endSessionsOf(userId: string): Promise<void> {
    await this.sessions.deleteForUser(userId);
    this.endWatches((w) => w.userId === userId);
  }

  /** Closes the live streams of a user (their scopes changed: the stream reconnects with the new ones). */
  closeStreamsOf(userId: string): void {
    this.endWatches((w) => w.userId === userId);
  }

  /** Refuses a password with the policy's reason (AUTH_WEAK_PASSWORD, params.reason). */
  checkPassword(pw: string, username: string): void {
    const why = checkPasswordPolicy(pw, { username, mode: this.mode });
    if (why) throw new AuthError('AUTH_WEAK_PASSWORD', `password refused: ${why.reason}`, { ...why });
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
    const h = tokenHash(token);
    await this.sessions.delete(h);
    this.endWatches((w) => w.tokenHash === h);
  }

  async changePassword(user: User, current: string, next: string): Promise<void> {
    const stored = await this.users.get(user.id);
    if (!stored || !(await verifyPassword(current, stored.passwordHash))) {
      throw new AuthError('AUTH_BAD_CREDENTIALS', 'the current password is wrong');
    }
    this.checkPassword(next, user.username);
    await this.users.setPasswordHash(user.id, await hashPassword(next));
    // every other device must log in again with the new password
    await this.endSessionsOf(user.id);
    await this.record(user, 'user.password', `user:${user.id}`, undefined, undefined);
  }

  async record(
    actor: User | 'system',
    action: string,
    target: string,
    old: unknown,
    next: unknown,
    where: Pick<AuditEntry, 'farmId' | 'cooperativeId'> = {},
  ): Promise<void> {
    await this.audit.append({
      ts: this.clock.now(),
      actor: actor === 'system' ? 'system' : actor.username,
      role: actor === 'system' ? 'system' : actor.role,
      action,
      target,
      old,
      new: next,
      ...where,
    });
  }
}
