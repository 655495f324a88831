import { lookup } from './i18n.js';

/**
 * Message catalogue of the officer's adoption dashboard, beside the app's (i18n.ts): same locale
 * signal, own keys, so the two catalogues never collide.
 */
const vi = {
  title: 'Mức độ ứng dụng theo xã',
  month: 'Tháng',
  from: 'Từ tháng',
  to: 'Đến tháng',
  kpi: 'Chỉ tiêu',
  show: 'Xem',
  exportCsv: 'Tải CSV',
  exportXlsx: 'Tải Excel',
  printable: 'Báo cáo in, {m}',
  unit: 'Đơn vị',
  trend: 'Xu hướng theo tháng',
  communeMap: 'Bản đồ các xã, {m}',
  map: 'Bảng màu theo đơn vị và tháng',
  perCommune: 'Chi tiết {m}',
  noRows: 'Chưa có số liệu cho khoảng thời gian này',
  forbidden: 'Bạn không có quyền xem báo cáo này',
  loading: 'Đang tải…',
  farmsRegistered: 'Ruộng đăng ký',
  farmsWithGatewayOnline: 'Ruộng có bộ điều khiển trực tuyến',
  farmsOnlinePct: 'Ruộng trực tuyến (%)',
  gatewaysReporting: 'Bộ điều khiển có số liệu',
  gatewayUptimePct: 'Thời gian trực tuyến (%)',
  automatedHa: 'Tưới tự động (ha)',
  awdHa: 'Ngập khô xen kẽ (ha)',
  waterM3: 'Nước bơm (m³)',
  awdWaterM3: 'Nước bơm AWD (m³)',
  baselineM3: 'Nếu ngập liên tục (m³)',
  waterSavedM3: 'Nước tiết kiệm (m³)',
  waterSavedPct: 'Nước tiết kiệm (%)',
  missionsFlown: 'Lượt bay phun',
  sprayedHa: 'Phun bằng máy bay (ha)',
  litresApplied: 'Nước thuốc (L)',
  knapsackBaselineL: 'Nếu phun bình đeo vai (L)',
  litresSavedL: 'Nước thuốc tiết kiệm (L)',
  litresSavedPct: 'Nước thuốc tiết kiệm (%)',
  activeUsers: 'Người dùng hoạt động (30 ngày)',
};
const en: Record<keyof typeof vi, string> = {
  title: 'Adoption by commune',
  month: 'Month',
  from: 'From',
  to: 'To',
  kpi: 'Indicator',
  show: 'Show',
  exportCsv: 'Download CSV',
  exportXlsx: 'Download Excel',
  printable: 'Printable report {m}',
  unit: 'Unit',
  trend: 'Trend by month',
  communeMap: 'Communes on the map, {m}',
  map: 'Shaded table by unit and month',
  perCommune: 'Details for {m}',
  noRows: 'No data for this period yet',
  forbidden: 'You may not see this report',
  loading: 'Loading…',
  farmsRegistered: 'Farms registered',
  farmsWithGatewayOnline: 'Farms with a gateway online',
  farmsOnlinePct: 'Farms online (%)',
  gatewaysReporting: 'Gateways reporting',
  gatewayUptimePct: 'Gateway uptime (%)',
  automatedHa: 'Automated irrigation (ha)',
  awdHa: 'AWD (ha)',
  waterM3: 'Water pumped (m³)',
  awdWaterM3: 'Water pumped, AWD (m³)',
  baselineM3: 'Continuous-flooding baseline (m³)',
  waterSavedM3: 'Water saved (m³)',
  waterSavedPct: 'Water saved (%)',
  missionsFlown: 'Missions flown',
  sprayedHa: 'Drone-sprayed (ha)',
  litresApplied: 'Litres applied',
  knapsackBaselineL: 'Knapsack baseline (L)',
  litresSavedL: 'Litres saved',
  litresSavedPct: 'Litres saved (%)',
  activeUsers: 'Active users (30 days)',
};

export type ReportMsgKey = keyof typeof vi;
const catalogues = { vi, en };

export function tr(key: ReportMsgKey, params: Record<string, string | number> = {}): string {
  return lookup(catalogues, key, params);
}
