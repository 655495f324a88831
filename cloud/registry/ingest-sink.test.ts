import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../../protocol/fixtures/index.js';
import { GatewayEvent, type CommandAck, type ConfigAck, type GatewayState } from '../../protocol/index.js';
import { RegistryIngestSink, type GatewayOnlineChange } from './ingest-sink.js';
import { createSqliteRegistry } from './sqlite-registry.js';
import type { Registry } from './registry.js';

describe('RegistryIngestSink', () => {
  let registry: Registry;
  let changes: GatewayOnlineChange[];
  let sink: RegistryIngestSink;
  let now = 1_764_288_100_000;

  beforeEach(async () => {
    registry = createSqliteRegistry(':memory:');
    await registry.init();
    changes = [];
    sink = new RegistryIngestSink(registry, { clock: { now: () => now }, onlineChanged: (c) => changes.push(c) });
  });
  afterEach(() => registry.close());

  it('turns one outage into one offline and one online change, however many states repeat', async () => {
    const birth = fixture<GatewayState>('state-birth');
    const will = fixture<GatewayState>('state-will');
    await sink.onState('gw1', birth, now);
    await sink.onState('gw1', birth, now + 1);
    await sink.onState('gw1', will, now + 2);
    await sink.onState('gw1', will, now + 3);
    await sink.onState('gw1', { ...birth, ts: birth.ts! + 10 }, now + 4);
    expect(changes.map((c) => c.online)).toEqual([true, false, true]);
  });

  it('ignores a late will of an older boot, and marks a silent gateway unreachable once', async () => {
    const birth = fixture<GatewayState>('state-birth');
    await sink.onState('gw1', { ...birth, bootId: 'boot-new' }, now);
    await sink.onState('gw1', { online: false, bootId: 'boot-old' }, now + 1);
    expect(await registry.getGateway('gw1')).toMatchObject({ online: true });
    expect(changes.map((c) => c.online)).toEqual([true]);
    now += 60_000;
    expect(await sink.sweepUnreachable(90_000)).toEqual([]);
    now += 60_000;
    expect(await sink.sweepUnreachable(90_000)).toEqual(['gw1']);
    expect(await sink.sweepUnreachable(90_000)).toEqual([]);
    expect(changes.map((c) => c.online)).toEqual([true, false]);
    // the gateway was fine (the cloud was cut off): its next message is its recovery
    await sink.onTelemetry('gw1', { bootId: 'boot-new', seq: 1, count: 1, ts: now });
    expect(changes.map((c) => c.online)).toEqual([true, false, true]);
  });

  it('ignores a late will of an earlier connection of the same boot (older ts), not the will of the current one', async () => {
    const birth = fixture<GatewayState>('state-birth');
    await sink.onState('gw1', { ...birth, bootId: 'boot-x', ts: now }, now);
    await sink.onState('gw1', { online: false, bootId: 'boot-x', ts: now - 60_000 }, now + 1);
    expect(await registry.getGateway('gw1')).toMatchObject({ online: true });
    await sink.onState('gw1', { online: false, bootId: 'boot-x', ts: now }, now + 2);
    expect(changes.map((c) => c.online)).toEqual([true, false]);
  });

  it('moves lastSeen and lastSeq with telemetry, and keeps events and acks', async () => {
    await sink.onTelemetry('gw1', { bootId: 'boot-a1', seq: 7, count: 5, ts: now - 10 });
    now += 1000;
    await sink.onTelemetry('gw1', { bootId: 'boot-a1', seq: 8, count: 5, ts: now - 10 });
    expect(await registry.getGateway('gw1')).toMatchObject({ lastSeq: 8, lastSeen: now, bootId: 'boot-a1' });

    await sink.onEvent('gw1', GatewayEvent.parse(fixture('event-interlock')));
    expect((await registry.listEvents('gw1'))[0]?.kind).toBe(fixture<GatewayEvent>('event-interlock').kind);

    const cfg = await registry.putDesiredConfig('gw1', { zones: [] }, 'tech', now);
    await sink.onConfigAck('gw1', { ...fixture<ConfigAck>('config-ack-applied'), version: cfg.version });
    expect(await registry.getGateway('gw1')).toMatchObject({ appliedConfigVersion: cfg.version });

    const ack = fixture<CommandAck>('cmd-ack');
    await registry.createCommand(
      { id: ack.id, gatewayId: 'gw1', kind: 'open', payload: {}, expiresAt: now + 60_000 },
      'farmer',
      now,
    );
    await sink.onCmdAck('gw1', ack);
    expect((await registry.getCommand(ack.id))?.status).toBe('done');
  });
});
