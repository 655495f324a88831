import { afterEach, describe, expect, it } from 'vitest';
import { eventText } from '../cloud/ui/src/codes.js';
import { locale } from '../cloud/ui/src/i18n.js';

// what the gateway sends (edge/README.md "Weather"), as the farmer's phone shows it
const events = [
  {
    kind: 'blocked',
    code: 'weather_skip_rain',
    valve: 'v1',
    data: { rainMm: 8, hours: 24, skipMm: 5, sensor: 'gauge-1' },
  },
  {
    kind: 'blocked',
    code: 'weather_skip_forecast',
    valve: 'v1',
    data: { probabilityPct: 85, mm: 14.5, hours: 12, minProbabilityPct: 70, minMm: 5 },
  },
  { kind: 'valve_closed', code: 'weather_deficit_met', valve: 'v1', data: { bucketMm: 0.2, et0Source: 'forecast' } },
  {
    kind: 'blocked',
    code: 'weather_skip_no_deficit',
    valve: 'v1',
    data: { bucketMm: -1.4, et0Source: 'fallback', minDeficitMm: 2 },
  },
];

describe('weather events in the web app', () => {
  afterEach(() => {
    locale.value = 'vi';
  });

  it("reads every weather code with its parameters in Vietnamese and in English, never the gateway's sentence", () => {
    locale.value = 'vi';
    expect(events.map(eventText)).toEqual([
      'Không tưới van v1: đã mưa 8 mm trong 24 giờ qua (ngưỡng 5 mm)',
      'Không tưới van v1: dự báo 85 % khả năng mưa 14,5 mm trong 12 giờ tới',
      'Đóng van v1: cây đã đủ nước (cân bằng 0,2 mm)',
      'Chưa tưới van v1: cây chưa thiếu nước (cân bằng -1,4 mm)',
    ]);
    locale.value = 'en';
    expect(eventText(events[0]!)).toBe('Not watering v1: 8 mm of rain in the last 24 h (limit 5 mm)');
    expect(eventText(events[1]!)).toBe('Not watering v1: 85 % chance of 14.5 mm of rain within 12 h');
  });
});
