import type { GatewaySeqStats } from './seq-tracker.js';
import type {
  CommandAck,
  ConfigAck,
  DecodedMessage,
  DroneTelemetry,
  GatewayEvent,
  GatewayState,
} from '../../protocol/index.js';

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

/**
 * A registered consumer of the one pipeline: hears every decoded uplink message once, after the
 * message's readings are stored or spooled and the sink has run, before the MQTT ack.
 * A throwing consumer is counted like a throwing sink.
 */
export type UplinkConsumer = (msg: DecodedMessage, receivedAt: number) => void | Promise<void>;

/** Publishes one MQTT message on the cloud instance's one broker connection. */
export type PublishFn = (topic: string, payload: string, opts: { qos: 0 | 1 | 2; retain: boolean }) => Promise<void>;

/** What the rest of the cloud (control, missions) gets of the ingest's broker connection. */
export interface CloudMqtt {
  publish: PublishFn;
  /** returns the function that removes it */
  addConsumer(c: UplinkConsumer): () => void;
  /** per-boot seq accounting of what this instance received */
  seqStats(gatewayId: string): GatewaySeqStats | undefined;
}
