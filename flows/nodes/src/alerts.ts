import { z } from 'zod';
import { type GatewayEvent, type Reading, metricInfo } from '../../../protocol/index.js';
import { numVi, timeVi } from './format.js';

export const ALERT_KINDS = ['salinity', 'water_level', 'sensor_fault', 'offline', 'online'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the alert flow POSTs to the notification webhook (SMS gateway / Zalo OA–style). */
export const Notification = z.object({
  key: z.string(),
  kind: z.enum(ALERT_KINDS),
  gatewayId: z.string(),
  farm: z.string().optional(),
  zone: z.string().optional(),
  to: z.array(z.string()).default([]),
  severity: z.enum(['info', 'warning', 'critical']),
  text: z.string().min(1),
  ts: z.number(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type Notification = z.infer<typeof Notification>;

export interface AlertOptions {
  waterMinCm: number;
  waterMaxCm: number;
  /** gatewayId or farm → phone numbers / Zalo ids; "*" is everyone's fallback */
  recipients: Record<string, string[]>;
  timeZone: string;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  waterMinCm: -20,
  waterMaxCm: 15,
  recipients: {},
  timeZone: 'Asia/Ho_Chi_Minh',
};

interface Where {
  gatewayId: string;
  farm?: string | undefined;
}

function recipientsFor(w: Where, o: AlertOptions): string[] {
  return o.recipients[w.gatewayId] ?? (w.farm ? o.recipients[w.farm] : undefined) ?? o.recipients['*'] ?? [];
}

function make(
  w: Where,
  o: AlertOptions,
  a: Omit<Notification, 'gatewayId' | 'farm' | 'to' | 'key' | 'data'> & {
    keyPart?: string;
    data?: Record<string, unknown>;
  },
): Notification {
  const { keyPart, ...rest } = a;
  return {
    ...rest,
    gatewayId: w.gatewayId,
    farm: w.farm,
    to: recipientsFor(w, o),
    key: [w.gatewayId, a.kind, keyPart].filter(Boolean).join(':'),
    data: a.data ?? {},
  };
}

const zoneName = (zone: string | undefined) => (zone ? `ruộng ${zone.toUpperCase()}` : 'ruộng');
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Salinity interlocks and sensor faults from gateway events; anything else is not an alert. */
export function alertFromEvent(
  w: Where,
  e: GatewayEvent,
  o: AlertOptions = DEFAULT_ALERT_OPTIONS,
): Notification | null {
  if (e.kind === 'blocked' || e.kind === 'interlock') {
    const sal = num(e.data?.salinityPpt);
    const limit = num(e.data?.limitPpt);
    const values =
      sal !== undefined && limit !== undefined ? `, độ mặn ${numVi(sal)}‰ > ${numVi(limit)}‰` : ` (${e.reason})`;
    const gate = e.valve ? `cống lấy nước ${e.valve}` : 'cống lấy nước';
    return make(w, o, {
      kind: 'salinity',
      zone: e.zone,
      severity: e.severity === 'info' ? 'warning' : e.severity,
      ts: e.ts,
      keyPart: e.zone,
      text: `Cảnh báo mặn: ${gate} ${zoneName(e.zone)} (${w.gatewayId}) bị khóa${values}. Không lấy nước vào ruộng.`,
      data: { salinityPpt: sal, limitPpt: limit, valve: e.valve, reason: e.reason },
    });
  }
  if (e.kind === 'sensor_fault') {
    const fault = typeof e.data?.fault === 'string' ? e.data.fault : e.reason;
    return make(w, o, {
      kind: 'sensor_fault',
      zone: e.zone,
      severity: e.severity === 'info' ? 'warning' : e.severity,
      ts: e.ts,
      keyPart: e.sensor,
      text: `Cảnh báo cảm biến: cảm biến ${e.sensor ?? '?'} ${e.zone ? `(${zoneName(e.zone)}) ` : ''}của trạm ${w.gatewayId} bị lỗi: ${fault}. Trạm ngừng tưới theo cảm biến này cho đến khi sửa.`,
      data: { sensor: e.sensor, reason: e.reason },
    });
  }
  return null;
}

/** A water-level reading outside [waterMinCm, waterMaxCm]. */
export function alertFromReading(w: Where, r: Reading, o: AlertOptions = DEFAULT_ALERT_OPTIONS): Notification | null {
  if (r.metric !== 'water_level' || r.quality === 'bad' || r.value === null) return null;
  const info = metricInfo('water_level');
  if (info && (r.value < info.min || r.value > info.max)) return null; // implausible: a sensor fault, reported by the edge
  if (r.value >= o.waterMinCm && r.value <= o.waterMaxCm) return null;
  const side = r.value < o.waterMinCm ? 'thấp' : 'cao';
  return make(w, o, {
    kind: 'water_level',
    severity: 'warning',
    ts: r.ts,
    keyPart: r.sensor,
    text: `Cảnh báo mực nước ${side}: cảm biến ${r.sensor} của trạm ${w.gatewayId} đo ${numVi(r.value)} cm, ngoài khoảng ${numVi(o.waterMinCm)} đến ${numVi(o.waterMaxCm)} cm.`,
    data: { sensor: r.sensor, valueCm: r.value, minCm: o.waterMinCm, maxCm: o.waterMaxCm },
  });
}

/** One alert per outage, produced by the gateway-status node. */
export function alertFromOutage(
  w: Where,
  since: number,
  now: number,
  online: boolean,
  o: AlertOptions = DEFAULT_ALERT_OPTIONS,
): Notification {
  const mins = Math.max(1, Math.round((now - since) / 60_000));
  return online
    ? make(w, o, {
        kind: 'online',
        severity: 'info',
        ts: now,
        data: { since, minutes: mins },
        text: `Trạm ${w.gatewayId} đã kết nối lại lúc ${timeVi(now, o.timeZone)} sau ${mins} phút mất kết nối.`,
      })
    : make(w, o, {
        kind: 'offline',
        severity: 'critical',
        ts: now,
        data: { since, minutes: mins },
        text: `Cảnh báo mất kết nối: trạm ${w.gatewayId} mất kết nối từ ${timeVi(since, o.timeZone)} (${mins} phút). Trạm vẫn chạy theo cấu hình cũ; kiểm tra điện và mạng.`,
      });
}
