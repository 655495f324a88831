import { describe, expect, it } from 'vitest';
import { Cluster, LatestSalinity, salinityBulletin } from './salinity-bulletin.js';

const now = Date.UTC(2026, 10, 28, 23, 0); // 06:00 on 29/11 in Vietnam
const cluster = Cluster.parse({ id: 'loa-1', name: 'cụm loa Ấp Một', gateways: ['gw1', 'gw2'] });

describe('salinity bulletin', () => {
  it('keeps the newest reading per sensor even when an older one arrives later', () => {
    const l = new LatestSalinity();
    l.add({ gatewayId: 'gw1', sensor: 's', value: 1.2, ts: now - 1000 });
    l.add({ gatewayId: 'gw1', sensor: 's', value: 3.0, ts: now - 5000 });
    l.add({ gatewayId: 'gw9', sensor: 's', value: 9, ts: now });
    expect(l.forGateways(['gw1', 'gw2'], now - 86_400_000).map((s) => s.value)).toEqual([1.2]);
    expect(l.forGateways(['gw1'], now)).toEqual([]);
  });

  it('tells people not to take canal water above the limit', () => {
    const text = salinityBulletin(cluster, [{ gatewayId: 'gw1', sensor: 's', value: 2.4, ts: now - 3_600_000 }], now);
    expect(text).toBe(
      'Bản tin độ mặn cụm loa Ấp Một lúc 06:00 ngày 29/11/2026. trạm gw1 2,4‰ (đo lúc 05:00). Độ mặn cao nhất 2,4‰ vượt ngưỡng 2,0‰: bà con không lấy nước kênh vào ruộng lúa.',
    );
    expect(salinityBulletin(cluster, [{ gatewayId: 'gw1', sensor: 's', value: 0.8, ts: now }], now)).toContain(
      'có thể lấy nước',
    );
    expect(salinityBulletin(cluster, [], now)).toContain('Chưa có số liệu');
  });
});
