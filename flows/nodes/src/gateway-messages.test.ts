import { describe, expect, it } from 'vitest';
import { fixture } from '../../../protocol/fixtures/index.js';
import { GatewayConfig } from '../../../protocol/index.js';
import { buildCommand, nextGatewayConfig } from './gateway-messages.js';

const now = 1_764_288_600_000;
const current = GatewayConfig.parse(fixture('config'));

describe('gateway messages', () => {
  it('patches one zone one level deep and bumps the version', () => {
    const r = nextGatewayConfig(current, { zone: 'z2', threshold: { refillPct: 22 } }, now, 'an');
    expect(r.ok && r.value).toMatchObject({ version: 4, issuedAt: now, issuedBy: 'an' });
    expect(r.ok && r.value.zones[1]!.threshold).toEqual({ refillPct: 22, fieldCapacityPct: 35, minOffMinutes: 30 });
  });

  it('rejects a change that breaks the contract, naming the field', () => {
    const r = nextGatewayConfig(current, { zone: 'z1', mode: 'threshold' }, now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/zones\.0\.threshold: threshold mode needs/);
    expect(nextGatewayConfig(current, 'nonsense', now).ok).toBe(false);
    expect(nextGatewayConfig(current, { valves: [] }, now).ok).toBe(false);
  });

  it('refuses a zone patch when the current config is unknown, since it would drop the other zones', () => {
    const r = nextGatewayConfig(null, { zone: 'z1', salinityLimitPpt: 2.5 }, now);
    expect(!r.ok && r.message).toMatch(/no current config/);
  });

  it('adds a zone the config lacks', () => {
    const r = nextGatewayConfig(current, { zone: 'z3', mode: 'off', valves: ['v3'] }, now);
    expect(r.ok && r.value.zones.map((z) => z.id)).toEqual(['z1', 'z2', 'z3']);
  });

  it('never lowers the version of a full config', () => {
    const r = nextGatewayConfig(null, { version: 9, zones: [] }, now);
    expect(r.ok && r.value.version).toBe(9);
    expect((nextGatewayConfig(current, { version: 1, zones: [] }, now) as { value: GatewayConfig }).value.version).toBe(
      4,
    );
  });

  it('gives a command an id and an expiry, and refuses one without what it needs', () => {
    const c = buildCommand({ kind: 'close', valve: 'v1' }, now, 120_000, 'nr');
    expect(c.ok && c.value).toMatchObject({
      kind: 'close',
      valve: 'v1',
      issuedAt: now,
      expiresAt: now + 120_000,
      by: 'nr',
    });
    expect(buildCommand({ kind: 'close' }, now, 120_000).ok).toBe(false);
    expect(buildCommand({ kind: 'open', zone: 'z1', minutes: 0 }, now, 120_000).ok).toBe(false);
  });
});
