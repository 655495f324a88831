import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Uplink, type ConfigResult } from '../edge/uplink/index.js';
import { ConfigAck, topics, type GatewayConfig } from '../protocol/index.js';
import { fixture } from '../protocol/fixtures/index.js';
import { services } from './support/services.js';
import { useEdgeBroker } from './support/edge-broker.js';

const ok = await services.mosquittoBinary();
const gatewayId = `t-cfg-${randomBytes(4).toString('hex')}`;

describe.skipIf(!ok)('config pushed while the gateway is offline', () => {
  const env = useEdgeBroker(gatewayId);

  const acks = () => env.watch.on('config/ack').map((s) => ConfigAck.parse(s.payload));
  const pushRetained = (body: string) =>
    env.cloud.publishAsync(topics.config(gatewayId), body, { qos: 1, retain: true });
  const gateway = (applied: number, handler: (cfg: GatewayConfig) => ConfigResult) => {
    const up = new Uplink({
      gatewayId,
      url: env.broker.url,
      username: gatewayId,
      password: 'gw-pass',
      dataDir: env.dataDir,
      fw: 'test/1',
      configVersion: applied,
      reconnect: { minMs: 100, maxMs: 300 },
    });
    up.onConfig(handler);
    up.start();
    return up;
  };

  it('applies a retained config when the gateway comes back, acks it, and does not re-apply it after a restart', async () => {
    const cfg = { ...fixture<GatewayConfig>('config'), version: 4 };
    await pushRetained(JSON.stringify(cfg)); // nobody is listening for it yet
    const applied: number[] = [];
    let up = gateway(3, (c) => {
      applied.push(c.version);
      return { status: 'applied' };
    });
    await env.watch.until(() => acks().length === 1, 10_000, 'config ack');
    expect(acks()[0]).toMatchObject({ version: 4, status: 'applied' });
    expect(applied).toEqual([4]);
    expect(up.stats().configVersion).toBe(4);
    await up.stop();

    // the gateway restarts with version 4 in force: the retained copy is confirmed, not re-applied
    up = gateway(4, (c) => {
      applied.push(c.version);
      return { status: 'applied' };
    });
    await env.watch.until(() => acks().length === 2, 10_000, 'second ack');
    expect(acks()[1]).toMatchObject({ version: 4, status: 'applied' });
    expect(applied).toEqual([4]);
    await up.stop();
  });

  it('rejects an invalid config with reasons naming the fields, and the old one stays in force', async () => {
    const seen: number[] = [];
    const up = gateway(4, (c) => {
      seen.push(c.version);
      return { status: 'applied' };
    });
    await env.watch.until(() => acks().length === 3, 10_000, 'ack of the retained v4');
    const bad = fixture<GatewayConfig>('config');
    await pushRetained(
      JSON.stringify({ ...bad, version: 5, zones: [{ ...bad.zones[0]!, valves: [], salinityLimitPpt: 99 }] }),
    );
    await env.watch.until(() => acks().length === 4, 10_000, 'rejection');
    const rejected = acks()[3]!;
    expect(rejected).toMatchObject({ version: 5, status: 'rejected' });
    expect(rejected.reasons?.join('\n')).toMatch(/zones\.0\.valves/);
    expect(rejected.reasons?.join('\n')).toMatch(/zones\.0\.salinityLimitPpt/);
    await pushRetained('{"version": 6, "zones": [');
    await env.watch.until(() => acks().length === 5, 10_000, 'rejection of broken JSON');
    expect(acks()[4]).toMatchObject({ status: 'rejected' });
    expect(acks()[4]!.reasons?.[0]).toMatch(/not JSON/);
    expect(seen).toEqual([]);
    expect(up.stats().configVersion).toBe(4);
    await up.stop();
  });

  it("passes on the gateway's own rejection reasons and keeps the applied version", async () => {
    const up = gateway(4, () => ({ status: 'rejected', reasons: ['zone z1: valve v1 is not on any relay board'] }));
    await pushRetained(JSON.stringify({ ...fixture<GatewayConfig>('config'), version: 7 }));
    await env.watch.until(() => acks().some((a) => a.version === 7), 10_000, 'ack of v7');
    expect(acks().find((a) => a.version === 7)).toMatchObject({
      status: 'rejected',
      reasons: ['zone z1: valve v1 is not on any relay board'],
    });
    expect(up.stats().configVersion).toBe(4);
    await up.stop();
  });
});
