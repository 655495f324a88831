import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { filters } from '../../protocol/index.js';

export interface Seen {
  topic: string;
  payload: any;
  retain: boolean;
}

/** A plain mqtt.js subscriber that records everything on one gateway's subtree. */
export class Watcher {
  readonly seen: Seen[] = [];
  private constructor(readonly client: MqttClient) {}

  static async open(url: string, gatewayId: string, opts: { username?: string; password?: string; clientId?: string; clean?: boolean } = {}): Promise<Watcher> {
    const client = await mqtt.connectAsync(url, {
      clientId: opts.clientId ?? `watch-${randomBytes(4).toString('hex')}`,
      clean: opts.clean ?? true, username: opts.username, password: opts.password, reconnectPeriod: 200,
    });
    const w = new Watcher(client);
    client.on('message', (topic, payload, packet) => {
      let parsed: unknown = null;
      try { parsed = payload.length ? JSON.parse(payload.toString()) : null; } catch { parsed = payload.toString(); }
      w.seen.push({ topic, payload: parsed, retain: packet.retain });
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
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
