import { RuongSoError } from '../../lib/errors.js';
import { statusOf } from '../http/errors.js';

export type AuthErrorCode =
  | 'AUTH_REQUIRED'
  | 'AUTH_BAD_CREDENTIALS'
  | 'AUTH_FORBIDDEN'
  | 'AUTH_WEAK_PASSWORD'
  | 'AUTH_DEFAULT_ADMIN'
  | 'AUTH_RATE_LIMITED'
  | 'AUTH_ORIGIN_REFUSED'
  | 'USER_INVALID'
  | 'USER_TAKEN'
  | 'USER_NOT_FOUND'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST';

/**
 * Errors of accounts and of the routes built on them. `params` go to the client beside the code
 * (the web app words them); the status comes from the one table in http/errors.ts.
 */
export class AuthError extends RuongSoError<AuthErrorCode> {
  constructor(
    code: AuthErrorCode,
    message: string,
    readonly params?: Record<string, string | number | boolean>,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
  get status(): number {
    return statusOf(this.code);
  }
}
