import type { AdoptionRow } from './rollup.js';

export type Lang = 'vi' | 'en';

/** The report's columns in order, with headings in both languages: CSV, XLSX and HTML share them. */
export const COLUMNS: { key: keyof AdoptionRow; vi: string; en: string; unit?: string }[] = [
  { key: 'month', vi: 'Tháng', en: 'Month' },
  { key: 'unitId', vi: 'Mã đơn vị', en: 'Unit id' },
  { key: 'unitName', vi: 'Đơn vị', en: 'Unit' },
  { key: 'level', vi: 'Cấp', en: 'Level' },
  { key: 'farmsRegistered', vi: 'Số hộ/ruộng đăng ký', en: 'Farms registered' },
  { key: 'farmsWithGatewayOnline', vi: 'Ruộng có bộ điều khiển trực tuyến', en: 'Farms with a gateway online' },
  { key: 'farmsOnlinePct', vi: 'Tỷ lệ ruộng trực tuyến (%)', en: 'Farms online (%)', unit: '%' },
  { key: 'gatewaysReporting', vi: 'Bộ điều khiển có số liệu', en: 'Gateways reporting' },
  { key: 'gatewayUptimePct', vi: 'Thời gian trực tuyến (%)', en: 'Gateway uptime (%)', unit: '%' },
  { key: 'automatedHa', vi: 'Diện tích tưới tự động (ha)', en: 'Automated irrigation (ha)', unit: 'ha' },
  { key: 'awdHa', vi: 'Diện tích ngập khô xen kẽ (ha)', en: 'AWD (ha)', unit: 'ha' },
  { key: 'waterM3', vi: 'Nước bơm (m³)', en: 'Water pumped (m³)', unit: 'm³' },
  { key: 'awdWaterM3', vi: 'Nước bơm ruộng AWD (m³)', en: 'Water pumped, AWD (m³)', unit: 'm³' },
  { key: 'baselineM3', vi: 'Nước nếu ngập liên tục (m³)', en: 'Continuous-flooding baseline (m³)', unit: 'm³' },
  { key: 'waterSavedM3', vi: 'Nước tiết kiệm (m³)', en: 'Water saved (m³)', unit: 'm³' },
  { key: 'waterSavedPct', vi: 'Nước tiết kiệm (%)', en: 'Water saved (%)', unit: '%' },
  { key: 'missionsFlown', vi: 'Số lượt bay phun', en: 'Missions flown' },
  { key: 'sprayedHa', vi: 'Diện tích phun bằng máy bay (ha)', en: 'Drone-sprayed (ha)', unit: 'ha' },
  { key: 'litresApplied', vi: 'Lượng nước thuốc (L)', en: 'Litres applied (L)', unit: 'L' },
  { key: 'knapsackBaselineL', vi: 'Nếu phun bình đeo vai (L)', en: 'Knapsack baseline (L)', unit: 'L' },
  { key: 'litresSavedL', vi: 'Nước thuốc tiết kiệm (L)', en: 'Litres saved (L)', unit: 'L' },
  { key: 'litresSavedPct', vi: 'Nước thuốc tiết kiệm (%)', en: 'Litres saved (%)', unit: '%' },
  { key: 'activeUsers', vi: 'Người dùng hoạt động 30 ngày', en: 'Active users (30 days)' },
];
