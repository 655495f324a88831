import type { z } from 'zod';
import { parseTopic, type ParsedTopic } from './topics.js';
import { ConfigAck, CommandAck, Command, GatewayEvent, GatewayState, Telemetry } from './schemas/messages.js';
import { GatewayConfig } from './schemas/gateway-config.js';
import { DroneTelemetry } from './schemas/drone.js';
import { MissionStatus } from './schemas/mission.js';

/** The schema of the payload on a topic. */
export function payloadSchemaFor(t: ParsedTopic): z.ZodType {
  if (t.kind === 'drone') return DroneTelemetry;
  if (t.kind === 'mission') return MissionStatus;
  switch (t.channel) {
    case 'state': return GatewayState;
    case 'telemetry': return Telemetry;
    case 'event': return GatewayEvent;
    case 'config': return GatewayConfig;
    case 'config/ack': return ConfigAck;
    case 'cmd': return Command;
    case 'cmd/ack': return CommandAck;
  }
}

export type DecodeResult =
  | { ok: true; topic: ParsedTopic; payload: unknown }
  | { ok: false; topic: ParsedTopic | null; reason: 'topic' | 'json' | 'schema'; message: string };

/** Topic + bytes → validated payload, or why not (for counting and logging, never throwing). */
export function decodePayload(topic: string, bytes: Uint8Array | string): DecodeResult {
  const parsed = parseTopic(topic);
  if (!parsed) return { ok: false, topic: null, reason: 'topic', message: `not a Ruộng Số topic: ${topic.slice(0, 200)}` };
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    return { ok: false, topic: parsed, reason: 'json', message: `payload is not JSON: ${(err as Error).message}` };
  }
  const result = payloadSchemaFor(parsed).safeParse(json);
  if (!result.success) {
    const first = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, topic: parsed, reason: 'schema', message: first };
  }
  return { ok: true, topic: parsed, payload: result.data };
}
