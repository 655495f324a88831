import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { filters, topics } from '../../protocol/index.js';

export interface Seen {
  topic: string;
  payload: any;
  retain: boolean;
  /** the broker marked this delivery as its own retransmission to us (broker → subscriber leg) */
  dup: boolean;
  /** Date.now() at arrival */
  at: number;
}

/** A plain mqtt.js subscriber that records everything on one gateway's subtree. */
export class Watcher {
  readonly seen: Seen[] = [];
  private constructor(
    readonly client: MqttClient,
    private readonly hostTopic: string,
  ) {}

  /** The watcher stands in for the cloud: it says "ingest host online" so gateways send (see edge/uplink host). */
  static async open(
    url: string,
    gatewayId: string,
    opts: { username?: string; password?: string; clientId?: string; clean?: boolean } = {},
  ): Promise<Watcher> {
    const hostTopic = topics.hostState(`watch-${randomBytes(4).toString('hex')}`);
    const client = await mqtt.connectAsync(url, {
      clientId: opts.clientId ?? `watch-${randomBytes(4).toString('hex')}`,
      clean: opts.clean ?? true,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 200,
      will: {
        topic: hostTopic,
        payload: Buffer.from(JSON.stringify({ online: false, ts: Date.now() })),
        qos: 1,
        retain: true,
      },
    });
    const w = new Watcher(client, hostTopic);
    const announce = () =>
      client.publish(hostTopic, JSON.stringify({ online: true, ts: Date.now() }), { qos: 1, retain: true });
    client.on('connect', announce);
    announce();
    client.on('message', (topic, payload, packet) => {
      let parsed: unknown = null;
      try {
        parsed = payload.length ? JSON.parse(payload.toString()) : null;
      } catch {
        parsed = payload.toString();
      }
      w.seen.push({ topic, payload: parsed, retain: packet.retain, dup: packet.dup, at: Date.now() });
    });
    await client.subscribeAsync(filters.gatewaySubtree(gatewayId), { qos: 1 });
    return w;
  }

  on(channel: string): Seen[] {
    return this.seen.filter((s) => s.topic.endsWith(`/${channel}`));
  }

  async until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      // conditions may scan everything received: poll gently, this process is also the gateway
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Distinct (bootId, seq) telemetry messages received so far, cheaply. */
  telemetryKeys(): Set<string> {
    return new Set(this.on('telemetry').map((s) => `${s.payload.bootId}:${s.payload.seq}`));
  }

  async close(): Promise<void> {
    if (this.client.connected)
      await this.client.publishAsync(this.hostTopic, '', { qos: 1, retain: true }).catch(() => undefined);
    await this.client.endAsync(true);
  }
}

/**
 * Counts telemetry by message identity (bootId, seq) and by reading identity (sensor, metric, ts).
 * A copy that the broker flags DUP and that we already have is the broker retransmitting to this
 * subscriber (its PUBACK was cut off by a broker restart) — QoS 1 on the broker → subscriber leg,
 * not something the gateway sent twice; those are counted apart as brokerRedeliveries.
 */
export function tally(seen: Seen[]) {
  const messages = new Map<string, number>();
  const readings = new Map<string, number>();
  const bootSeqs = new Map<string, number[]>();
  let brokerRedeliveries = 0;
  for (const s of seen) {
    if (!s.topic.endsWith('/telemetry')) continue;
    const t = s.payload as { bootId: string; seq: number; readings: { sensor: string; metric: string; ts: number }[] };
    const key = `${t.bootId}:${t.seq}`;
    if (s.dup && messages.has(key)) {
      brokerRedeliveries++;
      continue;
    }
    messages.set(key, (messages.get(key) ?? 0) + 1);
    if (messages.get(key) === 1) {
      if (!bootSeqs.has(t.bootId)) bootSeqs.set(t.bootId, []);
      bootSeqs.get(t.bootId)!.push(t.seq);
    }
    for (const r of t.readings) {
      const id = `${r.sensor}|${r.metric}|${r.ts}`;
      readings.set(id, (readings.get(id) ?? 0) + 1);
    }
  }
  const duplicateMessages = [...messages.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  const duplicateReadings = [...readings.values()].filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  /** per boot: seqs missing between 0 and the highest seen */
  const seqGaps = [...bootSeqs.entries()].map(([bootId, seqs]) => {
    const set = new Set(seqs);
    const max = Math.max(...seqs);
    return { bootId, max, missing: [...Array(max + 1).keys()].filter((i) => !set.has(i)) };
  });
  return { messages, readings, duplicateMessages, duplicateReadings, brokerRedeliveries, seqGaps, bootSeqs };
}

/** The reading identities a counter-fed producer made: sensors s0..s{n-1}, ts = base + tick × 1000. */
export function producedIds(ticks: Iterable<number>, sensors: number, tsBase: number, metric = 'counter'): string[] {
  const ids: string[] = [];
  for (const t of ticks) for (let i = 0; i < sensors; i++) ids.push(`s${i}|${metric}|${tsBase + t * 1000}`);
  return ids;
}
