import { RuongSoError } from '../../lib/errors.js';

export type AuthErrorCode =
  | 'AUTH_REQUIRED' | 'AUTH_BAD_CREDENTIALS' | 'AUTH_FORBIDDEN' | 'AUTH_WEAK_PASSWORD' | 'AUTH_DEFAULT_ADMIN'
  | 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';

/** Errors of accounts and of the routes built on them; `status` is the HTTP status they map to. */
export class AuthError extends RuongSoError<AuthErrorCode> {
  get status(): number {
    switch (this.code) {
      case 'AUTH_REQUIRED': case 'AUTH_BAD_CREDENTIALS': return 401;
      case 'AUTH_FORBIDDEN': return 403;
      case 'NOT_FOUND': return 404;
      case 'CONFLICT': return 409;
      default: return 400;
    }
  }
}
