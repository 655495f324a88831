import { describe, expect, it } from 'vitest';
import { fixture } from '../../../protocol/fixtures/index.js';
import { MissionStatus } from '../../../protocol/index.js';
import { Neighbourhood, distanceToField, sprayNotices } from './spray-neighbours.js';

const mission = MissionStatus.parse(fixture('mission-approved'));
const hood = Neighbourhood.parse({
  farms: [
    { id: 'bees', name: 'Trại ong', kind: 'bees', lon: 105.7876, lat: 10.0312, hamlet: 'ap-1' },
    { id: 'fish', name: 'Ao cá', kind: 'fish', lon: 105.83, lat: 10.031, hamlet: 'ap-9' },
    { id: 'inside', name: 'Ao tôm giữa ruộng', kind: 'shrimp', lon: 105.781, lat: 10.031 },
  ],
  hamlets: [
    { id: 'ap-1', name: 'Ấp Một', lon: 105.785, lat: 10.035 },
    { id: 'ap-9', name: 'Ấp Chín', lon: 105.84, lat: 10.06 },
  ],
});

describe('spray neighbours', () => {
  it('measures 0 inside the field and metres outside it', () => {
    expect(distanceToField(mission.field, 105.781, 10.031)).toBe(0);
    expect(distanceToField(mission.field, 105.7876, 10.0312)).toBeGreaterThan(480);
    expect(distanceToField(mission.field, 105.7876, 10.0312)).toBeLessThan(530);
  });

  it('selects the farms within the distance, nearest first, and the hamlets to warn', () => {
    const { farms, loudspeaker } = sprayNotices(mission, hood, 2000, 3_600_000, mission.ts);
    expect(farms.map((f) => f.farm.id)).toEqual(['inside', 'bees']);
    expect(loudspeaker!.hamlets.map((h) => h.id)).toEqual(['ap-1']);
    expect(loudspeaker!.playAt).toBe(mission.window.start - 3_600_000);
  });

  it('announces at once when the window is nearer than the lead time, and not at all with nobody near', () => {
    const soon = sprayNotices(mission, hood, 2000, 3_600_000, mission.window.start - 60_000);
    expect(soon.loudspeaker!.playAt).toBe(mission.window.start - 60_000);
    expect(sprayNotices(mission, { farms: [], hamlets: [] }, 2000, 0, mission.ts).loudspeaker).toBeNull();
  });
});

describe('notices follow the mission', () => {
  it('keys each notice on the mission, its status and its window, so a new window is a new notice', () => {
    const a = sprayNotices(mission, hood, 2000, 0, mission.ts);
    const again = sprayNotices({ ...mission, ts: mission.ts + 1 }, hood, 2000, 0, mission.ts + 1);
    expect(again.farms.map((f) => f.key)).toEqual(a.farms.map((f) => f.key));
    const moved = sprayNotices(
      { ...mission, window: { start: mission.window.start + 86_400_000, end: mission.window.end + 86_400_000 } },
      hood,
      2000,
      0,
      mission.ts,
    );
    expect(moved.farms.map((f) => f.key)).not.toEqual(a.farms.map((f) => f.key));
    expect(moved.loudspeaker!.key).not.toBe(a.loudspeaker!.key);
  });

  it('tells the same neighbours at once when a mission is cancelled', () => {
    const cancelled = sprayNotices({ ...mission, status: 'cancelled' }, hood, 2000, 3_600_000, mission.ts);
    const approved = sprayNotices(mission, hood, 2000, 3_600_000, mission.ts);
    expect(cancelled.farms.map((f) => f.farm.id)).toEqual(approved.farms.map((f) => f.farm.id));
    expect(cancelled.farms[0]!.text).toMatch(/^Hủy thông báo phun thuốc: .* đã hủy\./);
    expect(cancelled.farms[0]!.key).not.toBe(approved.farms[0]!.key);
    expect(cancelled.loudspeaker!.playAt).toBe(mission.ts);
    expect(cancelled.loudspeaker!.text).toContain('đã hủy');
  });
});
