import type { Logger } from '../../lib/log.js';
import type { ParsedTopic } from '../../protocol/index.js';
import type { Clock } from '../../lib/time.js';

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

/** Logs a rejected message once per gateway (or drone, or "unknown topic") per minute, with how many were held back. */
export class RejectLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  report(topic: ParsedTopic | null, reason: string, message: string): boolean {
    const source = !topic
      ? 'unknown-topic'
      : topic.kind === 'gw'
        ? `gw:${topic.gatewayId}`
        : topic.kind === 'drone'
          ? `drone:${topic.droneId}`
          : topic.kind;
    const now = this.clock.now();
    const seen = this.last.get(source);
    if (seen && now - seen.at < WINDOW_MS) {
      seen.suppressed++;
      return false;
    }
    if (this.last.size >= MAX_KEYS) this.last.clear();
    this.last.set(source, { at: now, suppressed: 0 });
    this.log.warn(
      { source, reason, detail: message.slice(0, 300), heldBackLastMinute: seen?.suppressed ?? 0 },
      'MQTT message rejected',
    );
    return true;
  }
}
