import { describe, expect, it } from 'vitest';
import { topics } from '../../protocol/index.js';
import { HostStates } from './host-state.js';

const msg = (o: object) => Buffer.from(JSON.stringify(o));
const T = topics.hostState('cloud');

describe('HostStates', () => {
  it('ignores a late will of an older session, and honours the will of the current one', () => {
    let now = 1_000_000;
    const h = new HostStates(3000, () => now);
    h.connected();
    h.take(T, msg({ online: false, ts: 1_764_288_000_000, session: 's1' }), true);
    h.take(T, msg({ online: true, ts: 1_764_288_000_100, session: 's2' }), false);
    expect(h.sendable).toBe(true);
    h.take(T, msg({ online: false, ts: 1_764_288_000_000, session: 's1' }), false);
    expect(h.anyOnline).toBe(true);
    h.take(T, msg({ online: false, ts: 1_764_288_000_050, session: 's2' }), false);
    expect(h.anyOnline).toBe(false);
    now += 1;
  });

  it('after a reconnect trusts a retained online only after the grace time, a live one at once', () => {
    let now = 1_000_000;
    const h = new HostStates(3000, () => now);
    h.connected();
    h.take(T, msg({ online: true, ts: 1_764_288_000_000, session: 's1' }), true);
    expect(h.sendable).toBe(true); // first connection of the process
    h.connected();
    h.take(T, msg({ online: true, ts: 1_764_288_000_000, session: 's1' }), true);
    expect(h.sendable).toBe(false);
    now += 3000;
    expect(h.sendable).toBe(true);
    h.connected();
    h.take(T, msg({ online: true, ts: 1_764_288_009_000, session: 's2' }), false);
    expect(h.sendable).toBe(true);
    expect(h.take(T, Buffer.from(''), true)).toBe(true);
    expect(h.anyOnline).toBe(false);
  });
});
