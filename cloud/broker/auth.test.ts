import { describe, expect, it } from 'vitest';
import { filters, topics } from '../../protocol/index.js';
import { hashPassword } from '../registry/password.js';
import { BrokerAuth } from './auth.js';

const cheap = { N: 1024 };

describe('BrokerAuth', async () => {
  const hash = await hashPassword('gw-secret', cheap);
  let lookups = 0;
  const auth = new BrokerAuth({
    cloudUsers: { cloud: 'cloud-secret' },
    drones: { 'drone-1': 'drone-secret' },
    gatewayCredentialHash: async (id) => {
      lookups++;
      return id === 'gw1' ? hash : null;
    },
  });
  const gw = { kind: 'gateway', gatewayId: 'gw1' } as const;
  const cloud = { kind: 'cloud', username: 'cloud' } as const;

  it('lets the cloud in with its password and a gateway with the secret issued to it', async () => {
    expect(await auth.authenticate('cloud', 'cloud-secret')).toEqual(cloud);
    expect(await auth.authenticate('cloud', 'wrong')).toBeNull();
    expect(await auth.authenticate('gw1', 'gw-secret')).toEqual(gw);
    expect(await auth.authenticate('gw1', 'gw-secret2')).toBeNull();
    expect(await auth.authenticate('gw2', 'gw-secret')).toBeNull();
    expect(await auth.authenticate(undefined, undefined)).toBeNull();
    expect(await auth.authenticate('gw/../x', 'gw-secret')).toBeNull();
  });

  it('binds each login to its client id, and never lets a service name in as a gateway', async () => {
    expect(auth.clientIdAllowed(gw, 'gw1')).toBe(true);
    expect(auth.clientIdAllowed(gw, 'gw2')).toBe(false);
    expect(auth.clientIdAllowed(gw, 'cloud')).toBe(false);
    expect(auth.clientIdAllowed(gw, 'gw1:x')).toBe(false);
    expect(auth.clientIdAllowed(cloud, 'cloud')).toBe(true);
    expect(auth.clientIdAllowed(cloud, 'cloud:web')).toBe(true);
    expect(auth.clientIdAllowed(cloud, 'gw1')).toBe(false);
    expect(auth.clientIdAllowed({ kind: 'drone', droneId: 'drone-1' }, 'drone-1-sim')).toBe(false);
    const withServiceRow = new BrokerAuth({ cloudUsers: {}, gatewayCredentialHash: async () => hash });
    for (const name of ['cloud', 'admin', 'nodered', 'ingest', 'cloud-2', 'drone-10l'])
      expect(await withServiceRow.authenticate(name, 'gw-secret')).toBeNull();
    expect(await withServiceRow.authenticate('gw1', 'gw-secret')).toEqual(gw);
  });

  it('lets a gateway publish only its own uplink channels', () => {
    expect(auth.canPublish(gw, topics.telemetry('gw1'))).toBe(true);
    expect(auth.canPublish(gw, topics.state('gw1'))).toBe(true);
    expect(auth.canPublish(gw, topics.cmdAck('gw1'))).toBe(true);
    expect(auth.canPublish(gw, topics.telemetry('gw2'))).toBe(false);
    expect(auth.canPublish(gw, topics.cmd('gw1'))).toBe(false);
    expect(auth.canPublish(gw, topics.config('gw1'))).toBe(false);
    expect(auth.canPublish(gw, '$SYS/x')).toBe(false);
    expect(auth.canPublish(cloud, topics.cmd('gw1'))).toBe(true);
    expect(auth.canPublish(cloud, '$SYS/x')).toBe(false);
  });

  it('lets a gateway subscribe only inside its subtree, and deliver it only its config and commands', () => {
    expect(auth.canSubscribe(gw, filters.gatewaySubtree('gw1'))).toBe(true);
    for (const f of filters.gatewayDownlink('gw1')) expect(auth.canSubscribe(gw, f)).toBe(true);
    expect(auth.canSubscribe(gw, filters.gatewaySubtree('gw2'))).toBe(false);
    expect(auth.canSubscribe(gw, filters.allGateways)).toBe(false);
    expect(auth.canSubscribe(gw, '#')).toBe(false);
    expect(auth.canReceive(gw, topics.cmd('gw1'))).toBe(true);
    expect(auth.canReceive(gw, topics.telemetry('gw1'))).toBe(false);
    expect(auth.canReceive(gw, topics.cmd('gw2'))).toBe(false);
    expect(auth.canSubscribe(cloud, filters.allGateways)).toBe(true);
  });

  it('lets a drone in with its password to publish only its own as-applied log', async () => {
    const drone = await auth.authenticate('drone-1', 'drone-secret');
    expect(drone).toEqual({ kind: 'drone', droneId: 'drone-1' });
    expect(await auth.authenticate('drone-1', 'x')).toBeNull();
    expect(auth.canPublish(drone!, topics.drone('drone-1'))).toBe(true);
    expect(auth.canPublish(drone!, topics.drone('drone-2'))).toBe(false);
    expect(auth.canPublish(drone!, topics.telemetry('gw1'))).toBe(false);
    expect(auth.canSubscribe(drone!, filters.allDrones)).toBe(false);
  });

  it('checks a gateway secret with scrypt once and remembers it until the hash changes', async () => {
    const t0 = performance.now();
    await auth.authenticate('gw1', 'gw-secret');
    expect(await auth.authenticate('gw1', 'gw-secret')).toEqual(gw);
    expect(lookups).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
