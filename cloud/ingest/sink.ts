import type { CommandAck, ConfigAck, DroneTelemetry, GatewayEvent, GatewayState } from '../../protocol/index.js';

/** What one telemetry message told the ingest (the readings themselves go to the store). */
export interface TelemetryInfo {
  bootId: string;
  seq: number;
  /** readings in the message */
  count: number;
  /** the message's ts, or when it was received */
  ts: number;
}

/**
 * Where the ingest hands everything that is not a stored reading: the registry side
 * implements it (online/offline, last seen, events, acks). A method may return a promise:
 * the MQTT message is acknowledged after it settles. A throwing sink is counted
 * (ruongso_ingest_rejected_total{reason="sink"}) and logged; the message is still acknowledged.
 */
export interface IngestSink {
  /** retained birth / last will; `ts` is when the cloud received it */
  onState(gatewayId: string, state: GatewayState, ts: number): void | Promise<void>;
  /** called once the message's readings are stored or spooled */
  onTelemetry(gatewayId: string, info: TelemetryInfo): void | Promise<void>;
  onEvent(gatewayId: string, event: GatewayEvent): void | Promise<void>;
  onConfigAck(gatewayId: string, ack: ConfigAck): void | Promise<void>;
  onCmdAck(gatewayId: string, ack: CommandAck): void | Promise<void>;
  onDroneTelemetry?(droneId: string, msg: DroneTelemetry): void | Promise<void>;
}
