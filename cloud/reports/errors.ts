import { RuongSoError } from '../../lib/errors.js';

export type ReportErrorCode =
  'REPORT_STORE_UNAVAILABLE' | 'REPORT_UNIT_NOT_FOUND' | 'REPORT_RANGE_INVALID' | 'AUTH_FORBIDDEN';

/** Errors of the adoption reports; HTTP status comes from the code (cloud/http/errors.ts). */
export class ReportError extends RuongSoError<ReportErrorCode> {}
