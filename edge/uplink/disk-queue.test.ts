import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DiskQueue } from './disk-queue.js';
import type { Reading } from '../../protocol/index.js';

const dirs: string[] = [];
const queues: DiskQueue[] = [];
afterEach(() => {
  for (const q of queues.splice(0)) q.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function open(capacityReadings = 1000, dir?: string) {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dq-'));
  if (!dir) dirs.push(d);
  const q = new DiskQueue(d, { capacityReadings });
  queues.push(q);
  return { q, dir: d };
}
const r = (i: number): Reading => ({
  sensor: 's1',
  metric: 'water_level',
  value: i,
  unit: 'cm',
  ts: 1_764_288_000_000 + i,
  quality: 'good',
});
const payloadOf = (i: number) => JSON.stringify({ n: i });

describe('DiskQueue', () => {
  it('hands messages out oldest first and forgets them once removed', () => {
    const { q } = open();
    const ids = [1, 2, 3, 4].map((i) => q.enqueue('event', payloadOf(i)));
    expect(q.next(0, null, 10).map((m) => JSON.parse(m.payload).n)).toEqual([1, 2, 3, 4]);
    expect(q.next(ids[1]!, ids[2]!, 10).map((m) => m.id)).toEqual([ids[2]]);
    q.remove([ids[0]!, ids[2]!]);
    expect(q.next(0, null, 10).map((m) => JSON.parse(m.payload).n)).toEqual([2, 4]);
  });

  it('never reuses an id, so cursors stay valid after the newest message is removed', () => {
    const { q } = open();
    const a = q.enqueue('event', payloadOf(1));
    q.remove([a]);
    expect(q.enqueue('event', payloadOf(2))).toBeGreaterThan(a);
  });

  it('seals pending readings into messages of at most maxPerMessage, in order', () => {
    const { q } = open(10_000);
    q.addPending([r(0), r(1), r(2)], 1);
    q.addPending([r(3), r(4)], 2);
    let seq = 0;
    expect(q.sealPending(2, (rs) => JSON.stringify({ seq: seq++, v: rs.map((x) => x.value) }))).toBe(3);
    expect(q.next(0, null, 10).map((m) => JSON.parse(m.payload))).toEqual([
      { seq: 0, v: [0, 1] },
      { seq: 1, v: [2, 3] },
      { seq: 2, v: [4] },
    ]);
    expect(q.stats()).toMatchObject({ messages: 3, readings: 5, pendingReadings: 0 });
  });

  it('drops the oldest messages when full and counts every dropped reading', () => {
    const { q } = open(100);
    for (let i = 0; i < 15; i++) {
      q.addPending(
        Array.from({ length: 10 }, (_, k) => r(i * 10 + k)),
        i,
      );
      q.sealPending(10, (rs) => JSON.stringify(rs.map((x) => x.value)));
    }
    const left = q.next(0, null, 100).map((m) => JSON.parse(m.payload) as number[]);
    expect(left).toHaveLength(10);
    expect(left[0]![0]).toBe(50); // the five oldest messages went
    expect(q.stats()).toMatchObject({ readings: 100, droppedReadings: 50, droppedMessages: 5, droppedEvents: 0 });
  });

  it('reports drops once: the report zeroes the unreported count in the same transaction', () => {
    const { q } = open(20);
    for (let i = 0; i < 5; i++)
      q.enqueueMany([{ channel: 'telemetry', payload: payloadOf(i), weight: 10, readings: 10 }]);
    const first = q.reportDrops((u, t) => JSON.stringify({ u, t }));
    expect(first).toEqual({ readings: 30, events: 0, messages: 3 });
    // the report weighs 1 and pushed out one more message: that drop is for the next report
    expect(q.stats().droppedReadings).toBe(40);
    expect(q.reportDrops((u, t) => JSON.stringify({ u, t }))).toEqual({ readings: 10, events: 0, messages: 1 });
    expect(q.reportDrops(() => 'x')).toBeNull();
    const reports = q
      .next(0, null, 10)
      .filter((m) => m.channel === 'event')
      .map((m) => JSON.parse(m.payload));
    expect(reports).toEqual([
      { u: { readings: 30, events: 0, messages: 3 }, t: { readings: 30, events: 0, messages: 3 } },
      { u: { readings: 10, events: 0, messages: 1 }, t: { readings: 40, events: 0, messages: 4 } },
    ]);
  });

  it('does not evict a message that is on the wire', () => {
    const { q } = open(2);
    const a = q.enqueue('event', payloadOf(1));
    const b = q.enqueue('event', payloadOf(2));
    q.protect = (id) => id === a;
    q.enqueue('event', payloadOf(3));
    expect(q.next(0, null, 10).map((m) => m.id)).toContain(a);
    expect(q.next(0, null, 10).map((m) => m.id)).not.toContain(b);
  });

  it('keeps everything, pending readings and drop counts included, across a reopen', () => {
    const { q, dir } = open(30);
    q.addPending([r(1), r(2)], 5);
    for (let i = 0; i < 4; i++)
      q.enqueueMany([{ channel: 'telemetry', payload: payloadOf(i), weight: 10, readings: 10 }]);
    q.close();
    const { q: again } = open(30, dir);
    expect(again.stats()).toMatchObject({
      messages: 3,
      readings: 32,
      pendingReadings: 2,
      weight: 30,
      droppedReadings: 10,
    });
    expect(again.pendingSince()).toBe(5);
  });

  it('remembers command ids until their keep-until time', () => {
    const { q } = open();
    q.rememberCommand('c1', 1000, 'done');
    expect(q.seenCommand('c1')).toBe('done');
    expect(q.forgetCommandsBefore(999)).toBe(0);
    expect(q.forgetCommandsBefore(1001)).toBe(1);
    expect(q.seenCommand('c1')).toBeNull();
  });

  it('survives a writer killed with SIGKILL mid-stream: every committed message is there, ids contiguous', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-kill-'));
    dirs.push(dir);
    const child = fileURLToPath(new URL('../../test/support/uplink-child.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, UPLINK_CHILD: JSON.stringify({ mode: 'queue-writer', dataDir: dir }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let committed = 0;
    proc.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      proc.stdout.on('data', (d: string) => {
        const m = d
          .trim()
          .split('\n')
          .pop()!
          .match(/^committed (\d+)$/);
        if (m) committed = Number(m[1]);
        if (committed >= 300) resolve();
      }),
    );
    proc.kill('SIGKILL');
    await new Promise((res) => proc.once('exit', res));
    const { q } = open(1_000_000, dir);
    const all = q.next(0, null, 1_000_000).map((m) => JSON.parse(m.payload).n as number);
    expect(all.length).toBeGreaterThanOrEqual(committed);
    expect(all).toEqual([...Array(all.length).keys()]);
  });
});

describe('DiskQueue sealing full messages only', () => {
  it('keeps a remainder smaller than a message pending', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dq-'));
    dirs.push(d);
    const q = new DiskQueue(d, { capacityReadings: 1000 });
    queues.push(q);
    q.addPending([r(0), r(1), r(2)], 1);
    expect(q.sealPending(2, (rs) => JSON.stringify(rs.map((x) => x.value)), true)).toBe(1);
    expect(q.pendingReadings).toBe(1);
    q.addPending([r(3)], 2);
    expect(q.sealPending(2, (rs) => JSON.stringify(rs.map((x) => x.value)), true)).toBe(1);
    expect(q.next(0, null, 10).map((m) => JSON.parse(m.payload))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(q.stats()).toMatchObject({ pendingReadings: 0, readings: 4 });
  });
});
