import { z } from 'zod';
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import { point } from '@turf/helpers';
import type { MissionStatus } from '../../../protocol/index.js';
import { dateVi, numVi, timeVi } from './format.js';

/** Farms that spray drift harms, and hamlets that hear the loudspeakers. */
export const NeighbourFarm = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['bees', 'fish', 'shrimp', 'houses', 'other']),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  hamlet: z.string().optional(),
  /** phone numbers or Zalo ids */
  to: z.array(z.string()).default([]),
});
export type NeighbourFarm = z.infer<typeof NeighbourFarm>;

export const Hamlet = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** loudspeaker cluster that covers the hamlet */
  cluster: z.string().optional(),
});
export type Hamlet = z.infer<typeof Hamlet>;

export const Neighbourhood = z.object({
  farms: z.array(NeighbourFarm).default([]),
  hamlets: z.array(Hamlet).default([]),
});
export type Neighbourhood = z.infer<typeof Neighbourhood>;

const KIND_VI: Record<NeighbourFarm['kind'], string> = {
  bees: 'trại ong',
  fish: 'ao cá',
  shrimp: 'ao tôm',
  houses: 'khu nhà dân',
  other: 'cơ sở',
};
const ADVICE_VI: Record<NeighbourFarm['kind'], string> = {
  bees: 'đóng cửa tổ ong hoặc di chuyển đàn ong',
  fish: 'không lấy nước vào ao, theo dõi cá',
  shrimp: 'không lấy nước vào ao, theo dõi tôm',
  houses: 'đóng cửa, không phơi đồ ngoài trời, cho trẻ em và vật nuôi vào nhà',
  other: 'tránh khu vực phun',
};

/**
 * `key` is what the notification gate de-duplicates on: the mission, its status and its window,
 * so a redelivered approval is heard once, while a cancellation or a re-approval with a new
 * window is a new notice that goes out at once.
 */
export interface FarmNotice {
  farm: NeighbourFarm;
  distanceM: number;
  to: string[];
  text: string;
  key: string;
  status: MissionStatus['status'];
}
export interface LoudspeakerCall {
  missionId: string;
  hamlets: { id: string; name: string; cluster?: string | undefined }[];
  playAt: number;
  text: string;
  key: string;
  status: MissionStatus['status'];
}

export function noticeKey(m: MissionStatus, who: string): string {
  return `spray/${m.missionId}/${m.status}/${m.window.start}-${m.window.end}/${who}`;
}

/** Metres from a point to the field; 0 inside it. */
export function distanceToField(field: MissionStatus['field'], lon: number, lat: number): number {
  const d = pointToPolygonDistance(point([lon, lat]), field, { units: 'meters' });
  return Math.max(0, d); // negative inside the polygon
}

function windowVi(m: MissionStatus, tz: string): string {
  return `${timeVi(m.window.start, tz)}–${timeVi(m.window.end, tz)} ngày ${dateVi(m.window.start, tz)}`;
}

/**
 * Farms within `distanceM` of the sprayed field, and the loudspeaker call for the affected hamlets.
 * An approval announces the window; a cancellation tells the same people it will not happen.
 */
export function sprayNotices(
  m: MissionStatus,
  n: Neighbourhood,
  distanceM: number,
  leadMs: number,
  now: number,
  tz = 'Asia/Ho_Chi_Minh',
): { farms: FarmNotice[]; loudspeaker: LoudspeakerCall | null } {
  const field = m.fieldName ?? m.missionId;
  const product = m.product ? ` thuốc ${m.product}` : ' thuốc bảo vệ thực vật';
  const cancelled = m.status === 'cancelled';
  const farms = n.farms
    .map((farm) => ({ farm, distanceM: distanceToField(m.field, farm.lon, farm.lat) }))
    .filter((f) => f.distanceM <= distanceM)
    .sort((a, b) => a.distanceM - b.distanceM)
    .map(({ farm, distanceM: d }) => ({
      farm,
      distanceM: Math.round(d),
      to: farm.to,
      key: noticeKey(m, farm.id),
      status: m.status,
      text: cancelled
        ? `Hủy thông báo phun thuốc: đợt phun${product} trên ${field} lúc ${windowVi(m, tz)} (cách ${KIND_VI[farm.kind]} ${farm.name} khoảng ${numVi(d / 1000, 1)} km) đã hủy. Sẽ có thông báo mới nếu đặt lịch lại.`
        : `Thông báo phun thuốc: máy bay không người lái sẽ phun${product} trên ${field} lúc ${windowVi(m, tz)}, cách ${KIND_VI[farm.kind]} ${farm.name} khoảng ${numVi(d / 1000, 1)} km. Đề nghị ${ADVICE_VI[farm.kind]}.`,
    }));
  const hamletIds = new Set(farms.map((f) => f.farm.hamlet).filter((h): h is string => Boolean(h)));
  for (const h of n.hamlets) if (distanceToField(m.field, h.lon, h.lat) <= distanceM) hamletIds.add(h.id);
  const hamlets = [...hamletIds].sort().map((id) => {
    const h = n.hamlets.find((x) => x.id === id);
    return { id, name: h?.name ?? id, cluster: h?.cluster };
  });
  const loudspeaker =
    hamlets.length === 0
      ? null
      : {
          missionId: m.missionId,
          hamlets,
          key: noticeKey(m, 'loudspeaker'),
          status: m.status,
          // a cancellation is read out at once; an approval ahead of the window
          playAt: cancelled ? now : Math.max(now, m.window.start - leadMs),
          text: cancelled
            ? `Loa truyền thanh thông báo: đợt phun${product} bằng máy bay không người lái trên ${field} từ ${windowVi(m, tz)} đã hủy.`
            : `Loa truyền thanh thông báo: từ ${windowVi(m, tz)} sẽ phun${product} bằng máy bay không người lái trên ${field}. Bà con nuôi ong, nuôi cá, nuôi tôm trong bán kính ${numVi(distanceM / 1000, 1)} km chú ý phòng tránh; không lại gần khu vực phun.`,
        };
  return { farms, loudspeaker };
}
