import { RuongSoError } from '../../lib/errors.js';

export type DbErrorCode = 'DB_MIGRATION' | 'DB_MIGRATION_NEWER' | 'DB_CLOSED';

/** A database layer failure (context: feature, migration); the features rethrow it under their own codes. */
export class DbError extends RuongSoError<DbErrorCode> {}
