import { randomBytes } from 'node:crypto';
import { DroneTelemetry, topics } from '../../protocol/index.js';
import type { FlightRoute } from '../../cloud/missions/flight-route.js';
import { log } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { simulateFlight, type FlightOptions } from './flight.js';

const logger = log.child({ mod: 'sim-drone' });

/** Anything that publishes: an mqtt.js client, or a test double. */
export interface Publisher {
  publishAsync(topic: string, payload: string, opts: { qos: 0 | 1 | 2 }): Promise<unknown>;
}

export interface FlyOptions extends Partial<Omit<FlightOptions, 'startTs'>> {
  droneId: string;
  missionId?: string;
  publisher: Publisher;
  /** 1 = real time; 60 = a minute of flight per second; Infinity = as fast as the broker takes it */
  speedup?: number;
  /** samples per message: the broker moves batches, not points */
  batchSize?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface FlyResult {
  bootId: string;
  messages: number;
  samples: number;
  sorties: number;
}

/**
 * Flies a route and streams its as-applied log as DroneTelemetry batches on the drone's topic,
 * paced by simulated time ÷ speedup. Used by `ruongso sim drone`, the demo and the tests.
 */
export async function flyMission(route: FlightRoute, opts: FlyOptions): Promise<FlyResult> {
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const speedup = opts.speedup ?? 1;
  const batch = Math.max(1, Math.min(opts.batchSize ?? 20, 1000));
  const bootId = randomBytes(6).toString('hex');
  const topic = topics.drone(opts.droneId);
  const logs = simulateFlight(route, { ...opts, startTs: clock.now() });
  let seq = 0,
    samples = 0;
  for (const { sortie, samples: all } of logs) {
    logger.info({ droneId: opts.droneId, sortie, samples: all.length }, 'sortie take-off');
    for (let i = 0; i < all.length; i += batch) {
      if (opts.signal?.aborted) return { bootId, messages: seq, samples, sorties: logs.length };
      const chunk = all.slice(i, i + batch);
      const msg = DroneTelemetry.parse({ bootId, seq, missionId: opts.missionId, sortie, samples: chunk });
      await opts.publisher.publishAsync(topic, JSON.stringify(msg), { qos: 1 });
      seq++;
      samples += chunk.length;
      const spanMs =
        chunk.at(-1)!.ts -
        chunk[0]!.ts +
        (chunk.length > 1 ? (chunk.at(-1)!.ts - chunk[0]!.ts) / (chunk.length - 1) : 0);
      if (Number.isFinite(speedup) && speedup > 0) await sleep(spanMs / speedup);
    }
  }
  logger.info({ droneId: opts.droneId, messages: seq, samples }, 'mission flown');
  return { bootId, messages: seq, samples, sorties: logs.length };
}
