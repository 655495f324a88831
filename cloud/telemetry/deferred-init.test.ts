import { describe, expect, it } from 'vitest';
import { DeferredInitStore } from './deferred-init.js';
import { StoreError, type TelemetryStore } from './store.js';

function fakeStore(state: { up: boolean; inits: number }): TelemetryStore {
  return {
    kind: 'influx',
    init: async () => {
      state.inits++;
      if (!state.up) throw new StoreError('STORE_UNAVAILABLE', 'connection refused');
    },
    write: async (p) => ({ written: p.length, rejected: 0 }),
    query: async () => [],
    latest: async () => [],
    health: async () => ({ ok: state.up, kind: 'influx' }),
    close: async () => undefined,
  };
}

describe('DeferredInitStore', () => {
  it('starts while the store is down, refuses writes (to be spooled) until it answers, then initialises once', async () => {
    const state = { up: false, inits: 0 };
    let now = 1_000_000;
    const store = new DeferredInitStore(fakeStore(state), { retryMs: 5000, clock: { now: () => now } });
    await store.init();
    expect(store.ready).toBe(false);
    await expect(store.write([])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(state.inits).toBe(1); // within retryMs: no new attempt
    expect(await store.health()).toMatchObject({ ok: false });
    state.up = true;
    now += 5000;
    expect(await store.write([])).toEqual({ written: 0, rejected: 0 });
    expect(store.ready).toBe(true);
    await store.write([]);
    expect(state.inits).toBe(2);
    expect(await store.health()).toMatchObject({ ok: true });
  });

  it('still fails at once on a configuration error', async () => {
    const store = new DeferredInitStore({
      ...fakeStore({ up: true, inits: 0 }),
      init: async () => {
        throw new StoreError('STORE_CONFIG', 'needs INFLUX_TOKEN');
      },
    });
    await expect(store.init()).rejects.toMatchObject({ code: 'STORE_CONFIG' });
  });

  it('never hands out a non-finite value (a mean of huge stored values is Infinity): it reads as null', async () => {
    const inner = fakeStore({ up: true, inits: 0 });
    inner.query = async () => [
      {
        gatewayId: 'g',
        sensor: 's',
        metric: 'm',
        unit: 'u',
        points: [{ ts: 1, mean: Infinity, min: -Infinity, max: 5, count: 2 }],
      },
    ];
    inner.latest = async () => [
      { gatewayId: 'g', sensor: 's', metric: 'm', unit: 'u', value: Number.NaN, ts: 1, quality: 'good' } as never,
    ];
    const store = new DeferredInitStore(inner);
    await store.init();
    const [s] = await store.query({ gatewayId: 'g', from: 0, to: 2 });
    expect(s!.points[0]).toEqual({ ts: 1, mean: null, min: null, max: 5, count: 2 });
    expect((await store.latest('g'))[0]!.value).toBeNull();
  });
});
