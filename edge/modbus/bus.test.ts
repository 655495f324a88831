import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModbusBus } from './bus.js';
import type { ModbusLink, ModbusRequest } from './link.js';

type Behaviour = 'ok' | 'timeout' | 'exception' | 'crc' | 'hang';

/** A wire in memory: answers after `latencyMs`, per-unit behaviour, counts overlap. */
class FakeLink implements ModbusLink {
  isOpen = false;
  inFlight = 0;
  maxInFlight = 0;
  calls: ModbusRequest[] = [];
  failOpens = 0;
  opens = 0;
  latencyMs = 5;
  behaviour = new Map<number, Behaviour>();
  private dropCb: ((err?: unknown) => void) | undefined;

  async open(): Promise<void> {
    this.opens++;
    if (this.failOpens-- > 0) throw new Error('Error: Cannot lock port');
    this.isOpen = true;
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }
  onDrop(cb: (err?: unknown) => void): void {
    this.dropCb = cb;
  }
  drop(): void {
    this.isOpen = false;
    this.dropCb?.(new Error('socket closed'));
  }

  exec(req: ModbusRequest, timeoutMs: number): Promise<number[]> {
    this.calls.push(req);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const b = this.behaviour.get(req.unitId) ?? 'ok';
    return new Promise<number[]>((resolve, reject) => {
      if (b === 'hang') return;
      const done = (fn: () => void) => {
        this.inFlight--;
        fn();
      };
      if (b === 'timeout') {
        setTimeout(
          () =>
            done(() =>
              // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- mimics modbus-serial, whose TransactionTimedOutError is not an Error
              reject({ name: 'TransactionTimedOutError', message: 'Timed out', errno: 'ETIMEDOUT' }),
            ),
          timeoutMs,
        );
        return;
      }
      setTimeout(
        () =>
          done(() => {
            if (b === 'exception')
              reject(Object.assign(new Error('Modbus exception 2: Illegal data address'), { modbusCode: 2 }));
            else if (b === 'crc') reject(new Error('CRC error'));
            else
              resolve(
                'length' in req
                  ? Array.from({ length: req.length }, (_, i) => req.unitId * 100 + req.address + i)
                  : [1],
              );
          }),
        this.latencyMs,
      );
    });
  }
}

describe('ModbusBus', () => {
  let link: FakeLink;
  let bus: ModbusBus;
  beforeEach(() => {
    vi.useFakeTimers();
    link = new FakeLink();
  });
  afterEach(async () => {
    await bus?.stop();
    vi.useRealTimers();
  });

  const make = (opts: Partial<ConstructorParameters<typeof ModbusBus>[0]> = {}) =>
    new ModbusBus({
      url: 'tcp://127.0.0.1:1502',
      timeoutMs: 200,
      retries: 1,
      retryDelayMs: 50,
      linkFactory: () => link,
      ...opts,
    });

  it('never puts two requests on the wire at once and answers each caller in order', async () => {
    bus = make();
    await bus.start();
    const all = Promise.all(Array.from({ length: 30 }, (_, i) => bus.read((i % 3) + 1, 3, i, 2)));
    await vi.advanceTimersByTimeAsync(1000);
    const results = await all;
    expect(link.maxInFlight).toBe(1);
    expect(bus.stats().maxInFlight).toBe(1);
    expect(results[4]).toEqual([204, 205]);
    expect(link.calls.map((c) => c.address)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('puts valve commands ahead of queued polls', async () => {
    bus = make();
    await bus.start();
    const polls = Array.from({ length: 5 }, (_, i) => bus.read(1, 3, i, 1));
    const command = bus.writeCoil(9, 0, true);
    const readBack = bus.read(9, 1, 0, 1, { urgent: true });
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all([...polls, command, readBack]);
    // the first poll was already on the wire; the command and its read-back come right after it
    expect(link.calls.map((c) => `${c.unitId}:${c.fc}`)).toEqual(['1:3', '9:5', '9:1', '1:3', '1:3', '1:3', '1:3']);
    expect(link.maxInFlight).toBe(1);
  });

  it('turns a silent unit into a timeout after retrying once', async () => {
    bus = make();
    await bus.start();
    link.behaviour.set(7, 'timeout');
    const p = bus.read(7, 3, 0, 4).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const err = await p;
    expect(err).toMatchObject({ code: 'MODBUS_TIMEOUT', fault: 'timeout' });
    expect(link.calls.filter((c) => c.unitId === 7)).toHaveLength(2);
  });

  it('gives up on a request whose promise never settles', async () => {
    bus = make({ retries: 0 });
    await bus.start();
    link.behaviour.set(3, 'hang');
    const p = bus.read(3, 4, 0, 1).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await p).toMatchObject({ code: 'MODBUS_TIMEOUT' });
    link.inFlight = 0;
  });

  it('backs off a failing unit without stalling the others on the bus', async () => {
    bus = make({ slaveBackoff: { baseMs: 5000, maxMs: 60_000 } });
    await bus.start();
    link.behaviour.set(2, 'timeout');
    const dead = bus.read(2, 3, 0, 1).catch((e: unknown) => e);
    const healthy: Promise<number[]>[] = [];
    for (let i = 0; i < 10; i++) healthy.push(bus.read(1, 3, i, 1));
    await vi.advanceTimersByTimeAsync(600);
    expect(await dead).toMatchObject({ code: 'MODBUS_TIMEOUT' });
    expect((await Promise.all(healthy)).flat()).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
    // while backed off, the dead unit costs no wire time at all
    const before = link.calls.length;
    const refused = await bus.read(2, 3, 0, 1).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'MODBUS_SLAVE_BACKOFF', fault: 'timeout' });
    expect(link.calls.length).toBe(before);
    const other = bus.read(1, 3, 0, 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await other).toEqual([100]);
    // after the backoff one probe goes out; it comes back, the unit is served again
    link.behaviour.set(2, 'ok');
    await vi.advanceTimersByTimeAsync(5000);
    const probe = bus.read(2, 3, 0, 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await probe).toEqual([200]);
    expect(bus.backedOffUntil(2)).toBe(0);
  });

  it("doubles a unit's backoff on each failed probe, up to the maximum", async () => {
    bus = make({ retries: 0, slaveBackoff: { baseMs: 1000, maxMs: 3000 } });
    await bus.start();
    link.behaviour.set(5, 'timeout');
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const p = bus.read(5, 3, 0, 1).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(250);
      await p;
      const until = bus.backedOffUntil(5);
      waits.push(until - Date.now());
      await vi.advanceTimersByTimeAsync(until - Date.now());
    }
    expect(waits.map((w) => Math.round(w / 100) * 100)).toEqual([1000, 2000, 3000, 3000]);
  });

  it('does not retry or back off on an exception: the unit answered', async () => {
    bus = make();
    await bus.start();
    link.behaviour.set(4, 'exception');
    const p = bus.read(4, 3, 99, 1).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await p).toMatchObject({ code: 'MODBUS_EXCEPTION', fault: 'exception', context: { exceptionCode: 2 } });
    expect(link.calls).toHaveLength(1);
    expect(bus.backedOffUntil(4)).toBe(0);
  });

  it('classifies a CRC error as a crc fault', async () => {
    bus = make({ retries: 0 });
    await bus.start();
    link.behaviour.set(6, 'crc');
    const p = bus.read(6, 3, 0, 1).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await p).toMatchObject({ code: 'MODBUS_CRC', fault: 'crc' });
  });

  it('reopens a port that refuses to open, with growing delays', async () => {
    link.failOpens = 2;
    bus = make({ reconnect: { baseMs: 100, maxMs: 1000 } });
    await bus.start();
    expect(bus.connected).toBe(false);
    expect(await bus.read(1, 3, 0, 1).catch((e: unknown) => e)).toMatchObject({
      code: 'MODBUS_DISCONNECTED',
      fault: 'disconnected',
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(link.opens).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(link.opens).toBe(3);
    expect(bus.connected).toBe(true);
  });

  it('reconnects by itself after the link drops and fails what was queued', async () => {
    bus = make({ reconnect: { baseMs: 100, maxMs: 1000 } });
    await bus.start();
    const connected = vi.fn();
    bus.on('connected', connected);
    link.latencyMs = 50;
    const a = bus.read(1, 3, 0, 1).catch((e: unknown) => e);
    const b = bus.read(1, 3, 1, 1).catch((e: unknown) => e);
    link.drop();
    expect(await b).toMatchObject({ code: 'MODBUS_DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(600);
    await a;
    expect(connected).toHaveBeenCalledTimes(1);
    link.latencyMs = 5;
    const c = bus.read(1, 3, 2, 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await c).toEqual([102]);
  });

  it('refuses requests once stopped', async () => {
    bus = make();
    await bus.start();
    await bus.stop();
    expect(await bus.read(1, 3, 0, 1).catch((e: unknown) => e)).toMatchObject({ code: 'MODBUS_BUS_STOPPED' });
  });
});
