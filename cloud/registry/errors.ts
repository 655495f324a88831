import { RuongSoError } from '../../lib/errors.js';

export type RegistryErrorCode = 'REGISTRY_UNAVAILABLE' | 'REGISTRY_MIGRATION' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID';

/** Registry failures; HTTP maps NOT_FOUND → 404, CONFLICT → 409, INVALID → 400, the rest → 503/500. */
export class RegistryError extends RuongSoError<RegistryErrorCode> {}
