import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';
import { DiskSpool } from './spool.js';
import { TelemetryWriter } from './telemetry-writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const point = (ts: number): StoredReading => ({
  gatewayId: 'gw-1',
  sensor: 's1',
  metric: 'water_level',
  value: -3,
  unit: 'cm',
  ts,
  quality: 'good',
});

/** A store that fails its first `failures` writes, then stores. */
function flakyStore(failures: number) {
  const stored: StoredReading[] = [];
  let calls = 0;
  const store = {
    kind: 'sqlite',
    write: vi.fn(async (points: StoredReading[]) => {
      if (calls++ < failures) throw new Error('store down');
      stored.push(...points);
      return { written: points.length, rejected: 0 };
    }),
  } as unknown as TelemetryStore;
  return { store, stored };
}

async function spoolIn(maxBytes = 1 << 20) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-unit-'));
  dirs.push(dir);
  const spool = new DiskSpool(dir, maxBytes);
  await spool.open();
  return spool;
}

describe('TelemetryWriter', () => {
  it('replays the spool with the shared backoff: full jitter up to a doubling cap, back to the minimum after a success', async () => {
    const { store, stored } = flakyStore(1 + 6);
    const spool = await spoolIn();
    const waits: number[] = [];
    const writer = new TelemetryWriter({
      store,
      spool,
      replayMinDelayMs: 100,
      replayMaxDelayMs: 1000,
      random: () => 0.999999,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    // the first write fails: spooled; replay fails 6 more times, then stores it
    expect(await writer.persist([point(1_764_288_060_000)])).toBe('spooled');
    await vi.waitFor(() => expect(stored).toHaveLength(1));
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(spool.isEmpty()).toBe(true);
    await writer.stop();
  });

  it('never waits below the minimum between replay attempts, whatever the jitter draws', async () => {
    const { store, stored } = flakyStore(1 + 3);
    const waits: number[] = [];
    const writer = new TelemetryWriter({
      store,
      spool: await spoolIn(),
      replayMinDelayMs: 100,
      replayMaxDelayMs: 1000,
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await writer.persist([point(1_764_288_060_000)]);
    await vi.waitFor(() => expect(stored).toHaveLength(1));
    expect(waits).toEqual([100, 100, 100]);
    await writer.stop();
  });

  it('holds a batch while the spool is full, retrying with a growing wait, and lands it once the replay made room', async () => {
    const { store, stored } = flakyStore(2 + 4);
    const spool = await spoolIn(400);
    const waits: number[] = [];
    const writer = new TelemetryWriter({
      store,
      spool,
      replayMinDelayMs: 1,
      replayMaxDelayMs: 1,
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    // one batch fills the spool; the next waits for the replay to drain it
    await writer.persist([point(1_764_288_060_000), point(1_764_288_060_001)]);
    await writer.persist([point(1_764_288_060_002), point(1_764_288_060_003)]);
    await vi.waitFor(() => expect(stored.map((p) => p.ts % 10)).toEqual([0, 1, 2, 3]));
    const full = waits.filter((w) => w >= 200);
    expect(full[0]).toBe(200);
    expect(full.every((w, i) => i === 0 || w === Math.min(full[i - 1]! * 2, 5000))).toBe(true);
    await writer.stop();
  });
});
