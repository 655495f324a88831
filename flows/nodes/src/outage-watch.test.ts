import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { minutes } from '../../../lib/time.js';
import { OutageWatch } from './outage-watch.js';

describe('OutageWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_764_288_000_000);
  });
  afterEach(() => vi.useRealTimers());

  function watch() {
    const offline: [string, number][] = [];
    const back: string[] = [];
    const w = new OutageWatch({
      offlineMs: minutes(30),
      now: () => Date.now(),
      onOffline: (id, since) => offline.push([id, since]),
      onRecovered: (id) => back.push(id),
    });
    return { w, offline, back };
  }

  it('reports a gateway offline for longer than N minutes once, however often its will repeats', async () => {
    const { w, offline } = watch();
    const t0 = Date.now();
    w.update('gw1', false);
    await vi.advanceTimersByTimeAsync(minutes(10));
    w.update('gw1', false);
    await vi.advanceTimersByTimeAsync(minutes(19));
    expect(offline).toEqual([]);
    await vi.advanceTimersByTimeAsync(minutes(1));
    expect(offline).toEqual([['gw1', t0]]);
    await vi.advanceTimersByTimeAsync(minutes(120));
    expect(offline).toHaveLength(1);
  });

  it('stays silent about a short outage and reports recovery only after a reported outage', async () => {
    const { w, offline, back } = watch();
    w.update('gw1', false);
    await vi.advanceTimersByTimeAsync(minutes(5));
    w.update('gw1', true);
    await vi.advanceTimersByTimeAsync(minutes(60));
    expect(offline).toEqual([]);
    expect(back).toEqual([]);
    w.update('gw1', false);
    await vi.advanceTimersByTimeAsync(minutes(31));
    w.update('gw1', true);
    expect(back).toEqual(['gw1']);
  });

  it('counts the outage from the time the gateway stated, so an old will is reported at once', async () => {
    const { w, offline } = watch();
    w.update('gw1', false, Date.now() - minutes(45));
    await vi.advanceTimersByTimeAsync(0);
    expect(offline).toHaveLength(1);
    expect(w.offline()).toEqual(['gw1']);
    w.stop();
    expect(w.offline()).toEqual([]);
  });
});
