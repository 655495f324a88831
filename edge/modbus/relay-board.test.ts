import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModbusBus } from './bus.js';
import { RelayBoard } from './relay-board.js';

/** A bus that records coil writes with the (fake) time they happened. */
function fakeBus() {
  const coils = new Map<number, boolean>();
  const writes: Array<{ t: number; coil: number; on: boolean }> = [];
  const bus = {
    name: 'fake',
    async writeCoil(_unit: number, coil: number, on: boolean) {
      writes.push({ t: Date.now(), coil, on });
      coils.set(coil, on);
    },
    async read(_unit: number, _fc: number, coil: number) {
      return [coils.get(coil) ? 1 : 0];
    },
  };
  return { bus: bus as unknown as ModbusBus, coils, writes };
}

afterEach(() => {
  vi.useRealTimers();
});

const actuators = [
  { id: 'v1', bus: 'b', unitId: 4, coil: 4, kind: 'intake' as const },
  { id: 'p1', bus: 'b', unitId: 4, coil: 6, kind: 'pump' as const },
  { id: 'v2', bus: 'b', unitId: 4, coil: 0, kind: 'valve' as const },
];

describe('RelayBoard.closeAll', () => {
  it('stops the pumps first and closes the valves only after pumpStopDelayMs', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { bus, writes, coils } = fakeBus();
    for (const c of [0, 4, 6]) coils.set(c, true);
    const board = new RelayBoard({ buses: { b: bus }, actuators, pumpStopDelayMs: 3000 });
    const done = board.closeAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.map((w) => w.coil)).toEqual([6]);
    await vi.advanceTimersByTimeAsync(2999);
    expect(writes.map((w) => w.coil)).toEqual([6]);
    await vi.advanceTimersByTimeAsync(1);
    const r = await done;
    expect(writes.map((w) => `${w.coil}@${w.t - 1_000_000}`)).toEqual(['6@0', '4@3000', '0@3000']);
    expect(r).toEqual({ closed: ['p1', 'v1', 'v2'], failed: [], sparesFailed: [] });
  });

  it('does not wait when the board drives no pump', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { bus, writes } = fakeBus();
    const board = new RelayBoard({
      buses: { b: bus },
      actuators: actuators.filter((a) => a.kind !== 'pump'),
      pumpStopDelayMs: 3000,
    });
    await board.closeAll();
    expect(writes.every((w) => w.t === 1_000_000)).toBe(true);
  });

  it('switches off every coil of the board, actuator or not, except the ones left out, spare pump coils first', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { bus, writes, coils } = fakeBus();
    for (let c = 0; c < 8; c++) coils.set(c, true);
    const kinds = ['valve', 'valve', 'valve', 'valve', 'intake', 'intake', 'pump', 'pump'] as const;
    const board = new RelayBoard({
      buses: { b: bus },
      actuators,
      pumpStopDelayMs: 500,
      // relay 3 (address 2) is an alarm light the farmer wants left alone
      boards: [
        {
          device: 'relays',
          bus: 'b',
          unitId: 4,
          coils: kinds.map((kind, address) => ({ address, kind })).filter((c) => c.address !== 2),
        },
      ],
    });
    const done = board.closeAll();
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(
      writes
        .filter((w) => w.t === 1_000_000)
        .map((w) => w.coil)
        .sort(),
    ).toEqual([6, 7]);
    expect(
      writes
        .filter((w) => w.t === 1_000_500)
        .map((w) => w.coil)
        .sort(),
    ).toEqual([0, 1, 3, 4, 5]);
    expect(coils.get(2)).toBe(true);
  });

  it('reports a spare coil that does not switch off, and still closes the rest', async () => {
    const { bus, coils } = fakeBus();
    const stuck = {
      ...bus,
      writeCoil: async (u: number, c: number, on: boolean) => {
        if (c !== 7) coils.set(c, on);
      },
    } as unknown as ModbusBus;
    coils.set(7, true);
    const board = new RelayBoard({
      buses: { b: stuck },
      actuators,
      boards: [{ device: 'relays', bus: 'b', unitId: 4, coils: [{ address: 7, kind: 'relay' }] }],
    });
    const r = await board.closeAll();
    expect(r.sparesFailed).toEqual(['relays:7']);
    expect(r.closed).toEqual(['p1', 'v1', 'v2']);
  });
});
