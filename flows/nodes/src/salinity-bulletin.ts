import { z } from 'zod';
import { dateVi, numVi, timeVi } from './format.js';

/** A loudspeaker cluster: which hamlets it covers, which gateways measure its canals. */
export const Cluster = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  hamlets: z.array(z.string()).default([]),
  gateways: z.array(z.string()).min(1),
  /** ‰ above which the bulletin tells people not to take canal water */
  limitPpt: z.number().min(0).max(40).default(2),
});
export type Cluster = z.infer<typeof Cluster>;
export const Clusters = z.array(Cluster);

export interface SalinitySample {
  gatewayId: string;
  sensor: string;
  value: number;
  ts: number;
}

/** Latest salinity per gateway/sensor, newest wins (telemetry can arrive out of order after an outage). */
export class LatestSalinity {
  private readonly latest = new Map<string, SalinitySample>();
  add(s: SalinitySample): void {
    const k = `${s.gatewayId}/${s.sensor}`;
    const prev = this.latest.get(k);
    if (!prev || prev.ts <= s.ts) this.latest.set(k, s);
  }
  forGateways(ids: string[], notBefore: number): SalinitySample[] {
    return [...this.latest.values()]
      .filter((s) => ids.includes(s.gatewayId) && s.ts >= notBefore)
      .sort((a, b) => a.gatewayId.localeCompare(b.gatewayId) || a.sensor.localeCompare(b.sensor));
  }
}

/** The canal salinity bulletin read out on one cluster's loudspeakers. */
export function salinityBulletin(c: Cluster, samples: SalinitySample[], now: number, tz = 'Asia/Ho_Chi_Minh'): string {
  const head = `Bản tin độ mặn ${c.name} lúc ${timeVi(now, tz)} ngày ${dateVi(now, tz)}.`;
  if (samples.length === 0)
    return `${head} Chưa có số liệu đo độ mặn mới; bà con liên hệ tổ kỹ thuật hợp tác xã trước khi lấy nước.`;
  const lines = samples.map((s) => `trạm ${s.gatewayId} ${numVi(s.value)}‰ (đo lúc ${timeVi(s.ts, tz)})`);
  const max = Math.max(...samples.map((s) => s.value));
  const advice =
    max > c.limitPpt
      ? `Độ mặn cao nhất ${numVi(max)}‰ vượt ngưỡng ${numVi(c.limitPpt)}‰: bà con không lấy nước kênh vào ruộng lúa.`
      : `Độ mặn dưới ngưỡng ${numVi(c.limitPpt)}‰: có thể lấy nước vào ruộng.`;
  return `${head} ${lines.join('; ')}. ${advice}`;
}
