import { describe, expect, it } from 'vitest';
import { fixture } from '../fixtures/index.js';
import { MissionStatus, decodePayload, filters, parseTopic, topics } from '../index.js';

describe('mission status', () => {
  it('builds and parses the mission status topic', () => {
    expect(topics.missionStatus('m-1')).toBe('ruongso/v1/mission/m-1/status');
    expect(parseTopic('ruongso/v1/mission/m-1/status')).toEqual({
      kind: 'mission',
      missionId: 'm-1',
      channel: 'status',
    });
    expect(filters.allMissionStatus).toBe('ruongso/v1/mission/+/status');
    expect(parseTopic('ruongso/v1/mission/m-1/other')).toBeNull();
  });

  it('accepts the approved fixture through the topic decoder', () => {
    const r = decodePayload(topics.missionStatus('m-2026-11-28-01'), JSON.stringify(fixture('mission-approved')));
    expect(r.ok).toBe(true);
  });

  it('rejects an open ring, swapped coordinates and a window that ends before it starts', () => {
    const m = fixture<Record<string, any>>('mission-approved');
    expect(
      MissionStatus.safeParse({
        ...m,
        field: {
          type: 'Polygon',
          coordinates: [
            [
              [105, 10],
              [106, 10],
              [105, 11],
            ],
          ],
        },
      }).success,
    ).toBe(false);
    expect(
      MissionStatus.safeParse({
        ...m,
        field: {
          type: 'Polygon',
          coordinates: [
            [
              [10, 105],
              [10, 106],
              [11, 106],
              [10, 105],
            ],
          ],
        },
      }).success,
    ).toBe(false);
    expect(MissionStatus.safeParse({ ...m, window: { start: m.window.end, end: m.window.start } }).success).toBe(false);
  });
});
