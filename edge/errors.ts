import { RuongSoError } from '../lib/errors.js';

export type GatewayErrorCode =
  | 'GATEWAY_CONFIG_NOT_FOUND'
  | 'GATEWAY_CONFIG_INVALID'
  | 'GATEWAY_STATE_UNREADABLE'
  | 'GATEWAY_ACTUATOR_FAILED'
  | 'GATEWAY_NOT_STARTED';

/** Errors of the gateway process (edge/): its config file, its state on disk, its actuators. */
export class GatewayError extends RuongSoError<GatewayErrorCode> {}
