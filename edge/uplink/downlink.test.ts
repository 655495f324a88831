import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskQueue } from './disk-queue.js';
import { Downlink } from './downlink.js';
import { fixture } from '../../protocol/fixtures/index.js';
import type { Command, GatewayConfig } from '../../protocol/index.js';
import { log } from '../../lib/log.js';

const dirs: string[] = [];
const queues: DiskQueue[] = [];
afterEach(() => {
  for (const q of queues.splice(0)) q.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(now = 1_764_288_100_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-'));
  dirs.push(dir);
  const queue = new DiskQueue(dir, { capacityReadings: 1000 });
  queues.push(queue);
  const acks: { channel: string; payload: Record<string, unknown> }[] = [];
  const dl = new Downlink(
    queue,
    (channel, payload) => acks.push({ channel, payload: payload }),
    { now: () => now },
    log,
  );
  return { dl, acks, queue };
}
const cfg = (version: number) => Buffer.from(JSON.stringify({ ...fixture<GatewayConfig>('config'), version }));
const cmd = (over: Partial<Command> = {}) => Buffer.from(JSON.stringify({ ...fixture<Command>('cmd-open'), ...over }));

describe('Downlink config', () => {
  it('applies a newer version once and confirms an equal or older one without re-applying', async () => {
    const { dl, acks } = setup();
    const applied: number[] = [];
    dl.configHandler = (c) => {
      applied.push(c.version);
      return { status: 'applied' };
    };
    dl.appliedVersion = 2;
    await dl.handle('config', cfg(3));
    await dl.handle('config', cfg(3));
    await dl.handle('config', cfg(1));
    expect(applied).toEqual([3]);
    expect(acks.map((a) => [a.payload.version, a.payload.status])).toEqual([
      [3, 'applied'],
      [3, 'applied'],
      [3, 'applied'],
    ]);
  });

  it('turns a handler that throws into a rejection and keeps the old version', async () => {
    const { dl, acks } = setup();
    dl.configHandler = () => {
      throw new Error('disk full');
    };
    dl.appliedVersion = 2;
    await dl.handle('config', cfg(3));
    expect(acks[0]!.payload).toMatchObject({
      version: 3,
      status: 'rejected',
      reasons: ['gateway could not apply the config: disk full'],
    });
    expect(dl.appliedVersion).toBe(2);
  });

  it('ignores an emptied retained config', async () => {
    const { dl, acks } = setup();
    await dl.handle('config', Buffer.alloc(0));
    expect(acks).toEqual([]);
  });
});

describe('Downlink commands', () => {
  it('runs a command at most once even if the handler fails', async () => {
    const { dl, acks } = setup();
    let runs = 0;
    dl.commandHandler = () => {
      runs++;
      throw new Error('relay board not answering');
    };
    await dl.handle('cmd', cmd());
    await dl.handle('cmd', cmd());
    expect(runs).toBe(1);
    expect(acks.map((a) => a.payload.outcome)).toEqual(['rejected', 'duplicate']);
    expect(acks[0]!.payload.reason).toBe('relay board not answering');
  });

  it('acks expired when now is past expiresAt, before looking at duplicates', async () => {
    const { dl, acks } = setup(1_764_288_300_001);
    dl.commandHandler = () => ({ status: 'done' });
    await dl.handle('cmd', cmd());
    expect(acks[0]!.payload).toMatchObject({ id: 'cmd-01J9Z', outcome: 'expired' });
  });

  it('rejects a command without a handler rather than leaving it unanswered', async () => {
    const { dl, acks } = setup();
    await dl.handle('cmd', cmd({ id: 'c-x' }));
    expect(acks[0]!.payload).toMatchObject({ id: 'c-x', outcome: 'rejected' });
  });
});
