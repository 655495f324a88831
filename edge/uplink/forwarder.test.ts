import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskQueue, type QueuedMessage } from './disk-queue.js';
import { Forwarder } from './forwarder.js';
import { log } from '../../lib/log.js';

const dirs: string[] = [];
const queues: DiskQueue[] = [];
const forwarders: Forwarder[] = [];
afterEach(() => {
  for (const f of forwarders.splice(0)) f.stop();
  vi.useRealTimers();
  for (const q of queues.splice(0)) q.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(opts: { maxInflight: number; drainPerSecond: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwd-'));
  dirs.push(dir);
  const queue = new DiskQueue(dir, { capacityReadings: 100_000 });
  queues.push(queue);
  const wire: { msg: QueuedMessage; done: (err?: Error) => void }[] = [];
  const sent: number[] = [];
  const fwd = new Forwarder(
    queue,
    (msg, done) => {
      wire.push({ msg, done });
      sent.push(JSON.parse(msg.payload).n);
    },
    opts,
    log,
  );
  forwarders.push(fwd);
  const put = (n: number) => queue.enqueue('event', JSON.stringify({ n }));
  /** the broker acknowledges everything on the wire */
  const ackAll = () => {
    for (const w of wire.splice(0)) w.done();
  };
  return { queue, fwd, wire, sent, put, ackAll };
}

describe('Forwarder', () => {
  it('keeps at most maxInflight messages on the wire', () => {
    const { fwd, wire, put } = setup({ maxInflight: 3, drainPerSecond: 1000 });
    for (let i = 0; i < 10; i++) put(i);
    fwd.onConnect();
    expect(wire.map((w) => JSON.parse(w.msg.payload).n)).toEqual([0, 1, 2]);
  });

  it('sends fresh messages at once while the backlog drains at the capped rate', () => {
    vi.useFakeTimers();
    const { fwd, sent, put, ackAll } = setup({ maxInflight: 10, drainPerSecond: 2 });
    for (let i = 0; i < 6; i++) put(i); // backlog from an outage
    fwd.onConnect();
    expect(sent).toEqual([0, 1]); // one second's worth of tokens
    ackAll();
    put(100); // fresh
    fwd.pump();
    expect(sent).toEqual([0, 1, 100]);
    vi.advanceTimersByTime(1000);
    ackAll();
    expect(sent).toEqual([0, 1, 100, 2, 3]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([0, 1, 100, 2, 3, 4, 5]);
  });

  it('does not resend what is still on the wire after a reconnect (mqtt.js resends that itself)', () => {
    const { fwd, wire, sent, put, ackAll } = setup({ maxInflight: 2, drainPerSecond: 1000 });
    for (let i = 0; i < 4; i++) put(i);
    fwd.onConnect();
    expect(sent).toEqual([0, 1]);
    fwd.onDisconnect();
    fwd.onConnect();
    expect(sent).toEqual([0, 1]); // window still full with 0 and 1
    ackAll();
    expect(sent).toEqual([0, 1, 2, 3]);
    expect(wire).toHaveLength(2);
  });

  it('deletes acknowledged messages from disk in batches', () => {
    vi.useFakeTimers();
    const { fwd, queue, put, ackAll } = setup({ maxInflight: 10, drainPerSecond: 1000 });
    for (let i = 0; i < 5; i++) put(i);
    fwd.onConnect();
    ackAll();
    expect(queue.stats().messages).toBe(5); // not yet flushed
    vi.advanceTimersByTime(60);
    expect(queue.stats().messages).toBe(0);
    expect(fwd.sentMessages).toBe(5);
  });

  it('keeps a message whose publish failed and sends it on the next connection', () => {
    const { fwd, wire, sent, put } = setup({ maxInflight: 5, drainPerSecond: 1000 });
    put(7);
    fwd.onConnect();
    wire.splice(0)[0]!.done(new Error('connection closed'));
    fwd.onDisconnect();
    fwd.onConnect();
    expect(sent).toEqual([7, 7]);
  });
});
