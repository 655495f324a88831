import { RuongSoError } from '../../lib/errors.js';

export type BrokerErrorCode = 'PORT_IN_USE' | 'BROKER_LISTEN' | 'NOT_AUTHORIZED';

export class BrokerError extends RuongSoError<BrokerErrorCode> {}

/**
 * The one-line message for a port someone else holds, naming the variable that moves it.
 * `alternative` says what else can be done (e.g. use that broker through MQTT_URL).
 */
export function portInUse(variable: string, port: number, alternative?: string): BrokerError {
  return new BrokerError(
    'PORT_IN_USE',
    `${variable} ${port} is already in use — set ${variable} to a free port${alternative ? `, or ${alternative}` : ''}`,
    { context: { port, variable } },
  );
}
