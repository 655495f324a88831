import { describe, expect, it } from 'vitest';
import { minutes } from '../../../lib/time.js';
import { NotifyGate } from './notify-gate.js';

describe('NotifyGate', () => {
  const gate = () => new NotifyGate({ dedupWindowMs: minutes(30), rateMax: 2, rateWindowMs: minutes(60) });

  it('lets the same alert through once per window, then again after it', () => {
    const g = gate();
    expect(g.check('gw1:salinity:z1', 'gw1', 0)).toEqual({ pass: true });
    expect(g.check('gw1:salinity:z1', 'gw1', minutes(29))).toEqual({ pass: false, reason: 'duplicate' });
    expect(g.check('gw1:salinity:z1', 'gw1', minutes(61))).toEqual({ pass: true });
  });

  it('holds back a gateway over its budget but not another gateway', () => {
    const g = gate();
    expect(g.check('gw1:a', 'gw1', 0).pass).toBe(true);
    expect(g.check('gw1:b', 'gw1', 1).pass).toBe(true);
    expect(g.check('gw1:c', 'gw1', 2)).toEqual({ pass: false, reason: 'rate_limited' });
    expect(g.check('gw2:a', 'gw2', 3).pass).toBe(true);
    expect(g.check('gw1:c', 'gw1', minutes(60) + 1).pass).toBe(true);
  });

  it('does not count a held-back alert against the budget or the dedup window', () => {
    const g = gate();
    g.check('a', 'gw1', 0);
    g.check('b', 'gw1', 0);
    expect(g.check('c', 'gw1', 0).pass).toBe(false);
    expect(g.check('c', 'gw1', minutes(60)).pass).toBe(true);
  });
});
