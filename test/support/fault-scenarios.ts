import mqtt from 'mqtt';
import { startGateway, type FaultStack } from './fault-stack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the system reported during a scenario (health, etc.), for the table and the assertions. */
export interface ScenarioNotes {
  [k: string]: string | number | boolean;
}

export interface Scenario {
  name: string;
  /** runs the fault on a flowing stack, then brings every part back */
  run(stack: FaultStack): Promise<ScenarioNotes>;
}

/**
 * The faults of the suite. Each starts on a stack where every gateway's readings are flowing
 * and ends with every part running again; drainAndReconcile then counts.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'broker kill -9',
    async run(s) {
      await s.mosquitto.stop('SIGKILL');
      await sleep(2000);
      await s.mosquitto.start();
      return {};
    },
  },
  {
    name: 'broker down 30 s',
    async run(s) {
      await s.mosquitto.stop('SIGTERM');
      await sleep(30_000);
      await s.mosquitto.start();
      return {};
    },
  },
  {
    name: 'client-id takeover attempts',
    async run(s) {
      // a gateway's own valid login tries the cloud's session and the other gateway's, 20 times each
      const [thief, victim] = s.gateways;
      let cloudCutOff = 0;
      for (let i = 0; i < 20; i++) {
        for (const clientId of ['cloud', victim!.id]) {
          const c = await mqtt
            .connectAsync(s.mosquitto.url, {
              clientId,
              username: thief!.id,
              password: thief!.password,
              clean: false,
              reconnectPeriod: 0,
              connectTimeout: 3000,
            })
            .catch(() => null);
          await c?.endAsync(true);
          // had the broker handed the attacker the cloud's session, the cloud's link would drop
          if (!(await s.cloud.health()).broker.ok) cloudCutOff++;
        }
      }
      return { attempts: 40, cloudLinkDown: cloudCutOff };
    },
  },
  {
    name: 'cloud kill -9, broker clean restart while it is down',
    async run(s) {
      await s.cloud.kill('SIGKILL');
      await sleep(1500);
      await s.mosquitto.stop('SIGTERM');
      await s.mosquitto.start();
      // the gateways are back on the broker, the cloud is not: they must keep their data
      await sleep(6000);
      await s.cloud.start();
      return {};
    },
  },
  {
    name: 'cloud kill -9',
    async run(s) {
      await s.cloud.kill('SIGKILL');
      await sleep(3000);
      await s.cloud.start();
      return {};
    },
  },
  {
    name: 'gateway kill -9 ×3 while it produces',
    async run(s) {
      // one gateway process killed mid-stream three times; each restart goes on with the next tick
      // on the same disk queue, so every reading accepted before a kill must still arrive once
      const g = s.gateways[0]!;
      const ticks: number[] = [];
      for (let i = 0; i < 3; i++) {
        await g.child.kill('SIGKILL');
        // a "produced" line still in the pipe only makes the restart repeat a tick (same identity)
        const next = g.child.produced + 1;
        ticks.push(next);
        startGateway(s, g, 40, { startTick: next });
        await g.child.until(() => g.child.produced >= next + 25, 30_000, 'restarted gateway producing');
      }
      return { kills: 3, ticksBeforeKills: ticks.join('/') };
    },
  },
  {
    name: 'InfluxDB SIGSTOP 10 s, then SIGCONT',
    async run(s) {
      // frozen, not dead: connections stay open and writes hang instead of being refused
      s.influx.signal('SIGSTOP');
      try {
        await sleep(5000);
        const h = await s.cloud.health().catch(() => null);
        await sleep(5000);
        return {
          healthWhileFrozen: h ? `${h.status}/telemetry ${h.telemetry.ok ? 'ok' : 'down'}` : 'no answer in 3 s',
        };
      } finally {
        s.influx.signal('SIGCONT');
      }
    },
  },
  {
    name: 'InfluxDB kill -9, back after 5 s',
    async run(s) {
      await s.influx.stop('SIGKILL');
      await sleep(5000);
      await s.influx.start();
      return {};
    },
  },
  {
    name: 'cloud restart while InfluxDB is down',
    async run(s) {
      await s.influx.stop();
      await s.cloud.kill('SIGTERM');
      await s.cloud.start();
      const h = await s.cloud.health();
      await sleep(4000);
      await s.influx.start();
      return { healthWhileDown: h.status, telemetryOkWhileDown: h.telemetry.ok };
    },
  },
];
