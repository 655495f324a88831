/**
 * What the rest of the cloud may use of accounts: the request's user and the role guards (set by
 * the session plugin), the error and response schemas, scopes, the account types and password
 * helpers. Route plugins import this file, never the stores, the service or the plugins behind it.
 */
export { SESSION_COOKIE, currentUser, requireRole } from './session.js';
export { AuthError } from './errors.js';
export { ErrorBody, Ok, errorResponses } from './http.js';
export { assertFarmAccess, canAccessFarm, visibleFarms, type Access } from './scope.js';
export { PublicUser, Role, ROLES, toPublicUser, type FarmInfo, type StoredUser, type User } from './types.js';
export { generatePassword, hashPassword } from './password.js';
export type { AuthService } from './service.js';
