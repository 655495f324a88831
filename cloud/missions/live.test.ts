import { describe, expect, it } from 'vitest';
import { MemoryLiveBus, type LiveEvent } from '../control/bus.js';
import { MissionFeed, changeOf } from './live.js';
import type { MissionRecord } from './store.js';

const mission = {
  id: 'm1',
  farmId: 'farm-a',
  lifecycle: { state: 'approved', history: [] },
} as unknown as MissionRecord;

describe('mission feed', () => {
  it('publishes at most one progress event per mission in the window', async () => {
    let now = 1_000_000;
    const bus = new MemoryLiveBus();
    const seen: LiveEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const feed = new MissionFeed(bus, { clock: { now: () => now }, progressMs: 5_000 });
    feed.attach({ get: async (id) => (id === 'm1' ? mission : null) });
    await feed.progress('m1');
    now += 4_999;
    await feed.progress('m1');
    await feed.progress('unknown');
    await feed.progress(undefined);
    expect(seen).toEqual([
      { type: 'mission', farmId: 'farm-a', missionId: 'm1', change: 'progress', state: 'approved', ts: 1_000_000 },
    ]);
    now += 1;
    await feed.progress('m1');
    expect(seen).toHaveLength(2);
  });

  it('names the change of a stored update from the states before and after', () => {
    expect(changeOf('draft', 'approved')).toBe('approved');
    expect(changeOf('approved', 'draft')).toBe('cancelled');
    expect(changeOf('approved', 'flown')).toBe('flown');
    expect(changeOf('flown', 'verified')).toBe('verified');
    expect(changeOf('approved', 'approved')).toBeNull();
  });
});
