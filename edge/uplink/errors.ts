import { RuongSoError } from '../../lib/errors.js';

export type UplinkErrorCode =
  | 'UPLINK_OPTIONS_INVALID'
  | 'UPLINK_READING_INVALID'
  | 'UPLINK_EVENT_INVALID'
  | 'UPLINK_QUEUE_OPEN_FAILED'
  | 'UPLINK_QUEUE_WRITE_FAILED'
  | 'UPLINK_NOT_STARTED';

/** Errors of the edge → cloud link. */
export class UplinkError extends RuongSoError<UplinkErrorCode> {}
