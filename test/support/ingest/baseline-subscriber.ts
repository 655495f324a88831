import mqtt from 'mqtt';
import { filters } from '../../../protocol/index.js';

/**
 * The benchmark's BASELINE: a bare pass-through subscriber — JSON → line protocol → batched
 * /write, no validation, no spool, MQTT acked on receipt. What the real ingest is compared with.
 */
export class BaselineSubscriber {
  private client: mqtt.MqttClient | undefined;
  private lines: string[] = [];
  private oldest: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private readonly opts: {
      mqttUrl: string;
      username: string;
      password: string;
      influxUrl: string;
      db: string;
      onWritten: (ts: number[], at: number) => void;
    },
  ) {}

  async start(): Promise<void> {
    this.client = await mqtt.connectAsync(this.opts.mqttUrl, {
      clientId: `baseline-${process.pid}-${Date.now()}`,
      username: this.opts.username,
      password: this.opts.password,
      clean: true,
    });
    this.client.on('message', (topic, payload) => {
      const gw = topic.split('/')[3];
      const msg = JSON.parse(payload.toString()) as {
        readings: Array<{ sensor: string; metric: string; value: number; unit: string; ts: number }>;
      };
      for (const r of msg.readings) {
        this.lines.push(
          `reading,gateway=${gw},metric=${r.metric},sensor=${r.sensor} quality="good",unit="${r.unit}",value=${r.value} ${r.ts}`,
        );
        this.oldest.push(r.ts);
      }
      if (this.lines.length >= 5000) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), 50);
    });
    await this.client.subscribeAsync(filters.gatewayUplink[1]!, { qos: 1 });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const body = this.lines.join('\n');
    const ts = this.oldest;
    this.lines = [];
    this.oldest = [];
    this.chain = this.chain.then(async () => {
      const res = await fetch(`${this.opts.influxUrl}/write?db=${this.opts.db}&precision=ms`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`baseline write failed ${res.status}: ${await res.text()}`);
      this.written += ts.length;
      this.opts.onWritten(ts, Date.now());
    });
  }

  async stop(): Promise<void> {
    this.flush();
    await this.chain;
    await this.client?.endAsync();
  }
}
