import type { z } from 'zod';
import { issueSummary } from '../lib/zod-issues.js';
import { fastTelemetry } from './fast-telemetry.js';
import { parseTopic, type GatewayChannel, type ParsedTopic } from './topics.js';
import {
  ConfigAck,
  CommandAck,
  Command,
  GatewayEvent,
  GatewayState,
  HostState,
  Telemetry,
} from './schemas/messages.js';
import { GatewayConfig } from './schemas/gateway-config.js';
import { DroneTelemetry } from './schemas/drone.js';
import { MissionStatus } from './schemas/mission.js';

/** The payload type of each gateway channel: the typed map every consumer (and the web app) imports. */
export interface GatewayPayloads {
  state: GatewayState;
  telemetry: Telemetry;
  event: GatewayEvent;
  config: GatewayConfig;
  'config/ack': ConfigAck;
  cmd: Command;
  'cmd/ack': CommandAck;
}

const GATEWAY_SCHEMAS: { [C in GatewayChannel]: z.ZodType<GatewayPayloads[C], unknown> } = {
  state: GatewayState,
  telemetry: Telemetry,
  event: GatewayEvent,
  config: GatewayConfig,
  'config/ack': ConfigAck,
  cmd: Command,
  'cmd/ack': CommandAck,
};

/** One decoded message: where it came from and its validated payload, typed by channel. */
export type GatewayMessage = {
  [C in GatewayChannel]: { kind: 'gw'; gatewayId: string; channel: C; payload: GatewayPayloads[C] };
}[GatewayChannel];
export type DecodedMessage =
  | GatewayMessage
  | { kind: 'drone'; droneId: string; channel: 'telemetry'; payload: DroneTelemetry }
  | { kind: 'mission'; missionId: string; channel: 'status'; payload: MissionStatus }
  | { kind: 'host'; hostId: string; channel: 'state'; payload: HostState };

/** The schema of the payload on a topic. */
export function payloadSchemaFor(t: ParsedTopic): z.ZodType {
  if (t.kind === 'drone') return DroneTelemetry;
  if (t.kind === 'mission') return MissionStatus;
  if (t.kind === 'host') return HostState;
  return GATEWAY_SCHEMAS[t.channel];
}

export type DecodeResult =
  /** `payload` is `message.payload`; narrow on `message` to get its type */
  | { ok: true; topic: ParsedTopic; message: DecodedMessage; payload: DecodedMessage['payload'] }
  | { ok: false; topic: ParsedTopic | null; reason: 'topic' | 'json' | 'schema' | 'size'; message: string };

/** Largest payload decoded at all (a telemetry message of 5,000 readings is ~0.6 MB). */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

export interface DecodeOptions {
  /**
   * telemetry through the hand-written fast path (protocol/fast-telemetry.ts, held equal to
   * zod by a property test); false: zod only (the reference, for the decode benchmark). Default true
   */
  fast?: boolean;
}

/** Topic + bytes → a typed, validated message, or why not (for counting and logging, never throwing). */
export function decodePayload(topic: string, bytes: Uint8Array | string, opts?: DecodeOptions): DecodeResult {
  const parsed = parseTopic(topic);
  if (!parsed)
    return { ok: false, topic: null, reason: 'topic', message: `not a Ruộng Số topic: ${topic.slice(0, 200)}` };
  if (bytes.length > MAX_PAYLOAD_BYTES)
    return {
      ok: false,
      topic: parsed,
      reason: 'size',
      message: `payload of ${bytes.length} bytes is over ${MAX_PAYLOAD_BYTES}`,
    };
  const text = typeof bytes === 'string' ? bytes : utf8(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, topic: parsed, reason: 'json', message: `payload is not JSON: ${(err as Error).message}` };
  }
  let payload: unknown;
  if (parsed.kind === 'gw' && parsed.channel === 'telemetry' && opts?.fast !== false) {
    payload = fastTelemetry(json);
    // refused (or, never seen, a case the fast path does not know): zod has the last word and
    // the message. The fast path may have written defaults into `json`: zod gets the text again
    if (payload === undefined) json = JSON.parse(text);
  }
  if (payload === undefined) {
    const result = payloadSchemaFor(parsed).safeParse(json);
    if (!result.success) return { ok: false, topic: parsed, reason: 'schema', message: issueSummary(result.error, 3) };
    payload = result.data;
  }
  // the schema was chosen by the topic: the pairing is right by construction
  const message = { ...parsed, payload } as DecodedMessage;
  return { ok: true, topic: parsed, message, payload: message.payload };
}

/** The bytes as text without copying them first (an MQTT payload is a Buffer already). */
function utf8(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString(
    'utf8',
  );
}
