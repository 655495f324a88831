/**
 * Simulated gateways for the ingest benchmark, in a process of their own so they do not share
 * the ingest's event loop. Config as JSON in argv[2]; prints one JSON line when done:
 * {"messages":…, "readings":…, "ms":…}. Each reading's ts is its publish time (ms, strictly
 * increasing per gateway), so the consumer can measure publish → stored latency.
 */
import mqtt from 'mqtt';
import { topics } from '../../../protocol/index.js';

interface Cfg {
  url: string;
  /**
   * login of gateway i is `${username}${i}`: the broker binds a client id to its login
   * (use_username_as_clientid), so gateways sharing one login would take over each other's session
   */
  username: string;
  password: string;
  prefix: string;
  gateways: number;
  perMessage: number;
  durationMs: number;
  /** readings/s offered in total; 0 = as fast as the broker takes them */
  ratePerSec: number;
  /** unacknowledged publishes per gateway connection */
  window?: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Cfg;
const window = cfg.window ?? 50;
let messages = 0;
let readingsSent = 0;

function connect(i: number): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(cfg.url, {
    clientId: `${cfg.username}${i}`,
    username: `${cfg.username}${i}`,
    password: cfg.password,
    clean: true,
    protocolVersion: 4,
  });
}

async function runGateway(i: number, client: mqtt.MqttClient, until: number): Promise<void> {
  const gw = `${cfg.prefix}${i}`;
  const topic = topics.telemetry(gw);
  const bootId = `load${process.pid}`;
  const perGwRate = cfg.ratePerSec / cfg.gateways / cfg.perMessage; // messages/s per gateway
  let lastTs = 0;
  let seq = 0;
  let inflight = 0;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    let waiting = false;
    const pump = () => {
      waiting = false;
      while (inflight < window && Date.now() < until) {
        // paced: no more than perGwRate messages per second since the start
        if (perGwRate > 0 && seq >= ((Date.now() - started) / 1000) * perGwRate) break;
        const ts = (lastTs = Math.max(Date.now(), lastTs + 1));
        const readings = new Array(cfg.perMessage);
        for (let s = 0; s < cfg.perMessage; s++)
          readings[s] = { sensor: `s${s}`, metric: 'soil_moisture', value: (seq % 1000) / 10, unit: '%VWC', ts };
        inflight++;
        client.publish(topic, JSON.stringify({ bootId, seq: seq++, ts, readings }), { qos: 1 }, () => {
          inflight--;
          messages++;
          readingsSent += cfg.perMessage;
          if (!waiting) {
            waiting = true;
            setImmediate(pump);
          }
        });
      }
      if (Date.now() >= until) {
        if (inflight === 0) resolve();
        return;
      }
      if (!waiting) {
        waiting = true;
        setTimeout(pump, 2);
      }
    };
    pump();
  });
  await client.endAsync();
}

// connect everyone first: the clock starts when the load does
const clients = await Promise.all(Array.from({ length: cfg.gateways }, (_, i) => connect(i)));
const t0 = Date.now();
const until = t0 + cfg.durationMs;
await Promise.all(clients.map((c, i) => runGateway(i, c, until)));
process.stdout.write(`${JSON.stringify({ messages, readings: readingsSent, ms: Date.now() - t0, start: t0 })}\n`);
process.exit(0);
