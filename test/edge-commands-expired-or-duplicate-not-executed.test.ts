import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Uplink, type CommandResult } from '../edge/uplink/index.js';
import { CommandAck, topics, type Command } from '../protocol/index.js';
import { fixture } from '../protocol/fixtures/index.js';
import { minutes, type Clock } from '../lib/time.js';
import { services } from './support/services.js';
import { useEdgeBroker } from './support/edge-broker.js';

const ok = await services.mosquittoBinary();
const gatewayId = `t-cmd-${randomBytes(4).toString('hex')}`;

describe.skipIf(!ok)('commands: executed once, never after expiry', () => {
  const env = useEdgeBroker(gatewayId);
  let now = Date.UTC(2026, 2, 1, 6, 0);
  const clock: Clock = { now: () => now };
  const executed: string[] = [];

  const acks = () => env.watch.on('cmd/ack').map((s) => CommandAck.parse(s.payload));
  const ackOf = async (id: string, nth = 1) => {
    await env.watch.until(() => acks().filter((a) => a.id === id).length >= nth, 10_000, `ack ${nth} of ${id}`);
    return acks().filter((a) => a.id === id)[nth - 1]!;
  };
  const send = (c: Command) => env.cloud.publishAsync(topics.cmd(gatewayId), JSON.stringify(c), { qos: 1 });
  const command = (id: string, over: Partial<Command> = {}): Command =>
    ({ ...fixture<Command>('cmd-open'), id, issuedAt: now, expiresAt: now + minutes(5), ...over }) as Command;
  const gateway = async () => {
    const up = new Uplink({
      gatewayId,
      url: env.broker.url,
      username: gatewayId,
      password: 'gw-pass',
      dataDir: env.dataDir,
      fw: 'test/1',
      clock,
      reconnect: { minMs: 100, maxMs: 300 },
    });
    up.onCommand((c): CommandResult => {
      executed.push(c.id);
      return c.kind === 'open' && c.valve === 'v-missing'
        ? { status: 'rejected', reason: 'no valve v-missing on this gateway' }
        : { status: 'done' };
    });
    up.start();
    await new Promise<void>((r) => up.once('connected', r));
    return up;
  };

  it('executes a command once and acks a repeat of its id as duplicate, also after a restart', async () => {
    let up = await gateway();
    await send(command('c-1'));
    expect(await ackOf('c-1')).toMatchObject({ outcome: 'done' });
    await send(command('c-1'));
    expect(await ackOf('c-1', 2)).toMatchObject({ outcome: 'duplicate' });
    await up.stop();
    up = await gateway(); // the seen ids are on disk
    await send(command('c-1'));
    expect(await ackOf('c-1', 3)).toMatchObject({ outcome: 'duplicate' });
    expect(executed.filter((id) => id === 'c-1')).toEqual(['c-1']);
    await up.stop();
  });

  it('acks an expired command as expired without executing it', async () => {
    const up = await gateway();
    await send(command('c-old', { issuedAt: now - minutes(10), expiresAt: now - minutes(1) }));
    expect(await ackOf('c-old')).toMatchObject({ outcome: 'expired' });
    expect(executed).not.toContain('c-old');
    await up.stop();
  });

  it('does not execute a command that waited in the env.broker past its expiry while the gateway was offline', async () => {
    await send(command('c-queued', { expiresAt: now + minutes(5) })); // held in the gateway's persistent session
    now += minutes(30);
    const up = await gateway();
    expect(await ackOf('c-queued')).toMatchObject({ outcome: 'expired' });
    expect(executed).not.toContain('c-queued');
    await up.stop();
  });

  it("acks the gateway's refusal as rejected with its reason, and a malformed command as rejected", async () => {
    const up = await gateway();
    await send(command('c-bad-valve', { zone: undefined, valve: 'v-missing' }));
    expect(await ackOf('c-bad-valve')).toMatchObject({
      outcome: 'rejected',
      reason: 'no valve v-missing on this gateway',
    });
    await env.cloud.publishAsync(
      topics.cmd(gatewayId),
      JSON.stringify({ id: 'c-malformed', kind: 'open', minutes: 10, issuedAt: now, expiresAt: now + 1000 }),
      { qos: 1 },
    );
    const malformed = await ackOf('c-malformed');
    expect(malformed.outcome).toBe('rejected');
    expect(malformed.reason).toMatch(/valve/);
    expect(executed).not.toContain('c-malformed');
    await up.stop();
  });
});
