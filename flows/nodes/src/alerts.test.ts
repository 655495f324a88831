import { describe, expect, it } from 'vitest';
import { fixture } from '../../../protocol/fixtures/index.js';
import { GatewayEvent, Reading } from '../../../protocol/index.js';
import { DEFAULT_ALERT_OPTIONS, alertFromEvent, alertFromOutage, alertFromReading } from './alerts.js';
import { numVi } from './format.js';

const where = { gatewayId: 'gw-dai-an-01', farm: 'farm-ba' };
const opts = { ...DEFAULT_ALERT_OPTIONS, recipients: { 'farm-ba': ['+84901'], '*': ['+84999'] } };
const interlock = GatewayEvent.parse(fixture('event-interlock'));

describe('alerts', () => {
  it('writes the salinity interlock in Vietnamese with decimal commas', () => {
    const a = alertFromEvent(where, interlock, opts)!;
    expect(a.text).toBe(
      'Cảnh báo mặn: cống lấy nước v1 ruộng Z1 (gw-dai-an-01) bị khóa, độ mặn 3,4‰ > 2,0‰. Không lấy nước vào ruộng.',
    );
    expect(a).toMatchObject({ kind: 'salinity', key: 'gw-dai-an-01:salinity:z1', to: ['+84901'], severity: 'warning' });
  });

  it('falls back to the reason when the event carries no salinity values', () => {
    const a = alertFromEvent(where, { ...interlock, kind: 'interlock', data: undefined }, opts)!;
    expect(a.text).toContain('(blocked: intake salinity 3.4‰ > 2.0‰)');
  });

  it('ignores events that are not alerts', () => {
    expect(alertFromEvent(where, GatewayEvent.parse(fixture('event-opened')), opts)).toBeNull();
  });

  it('warns only about good water-level readings outside the bounds', () => {
    const r = (value: number, extra = {}) =>
      Reading.parse({ sensor: 'wl1', metric: 'water_level', value, unit: 'cm', ts: 1_764_288_000_000, ...extra });
    expect(alertFromReading(where, r(-12), opts)).toBeNull();
    expect(alertFromReading(where, r(20), opts)!.text).toContain('Cảnh báo mực nước cao');
    expect(alertFromReading(where, r(-25), opts)!.key).toBe('gw-dai-an-01:water_level:wl1');
    expect(alertFromReading(where, r(-500), opts)).toBeNull(); // implausible: the edge reports the fault
  });

  it('states since when a gateway is offline, in Vietnam time', () => {
    const since = Date.UTC(2026, 10, 28, 7, 5); // 14:05 in Hồ Chí Minh City
    const a = alertFromOutage(where, since, since + 31 * 60_000, false, opts);
    expect(a.text).toMatch(/^Cảnh báo mất kết nối: trạm gw-dai-an-01 mất kết nối từ 14:05 \(31 phút\)/);
    expect(alertFromOutage(where, since, since + 40 * 60_000, true, opts).kind).toBe('online');
  });

  it('formats numbers the Vietnamese way', () => {
    expect(numVi(1234.56, 1)).toBe('1.234,6');
  });
});
