import { signal } from './state.js';


/** Message catalogues: Vietnamese first, English switchable. Every visible string is here. */
const vi = {
  appName: 'Ruộng Số',
  login: 'Đăng nhập', logout: 'Đăng xuất', loginLabel: 'Tên đăng nhập hoặc số điện thoại', password: 'Mật khẩu',
  loginFailed: 'Sai tên đăng nhập hoặc mật khẩu', tooMany: 'Thử quá nhiều lần, chờ một phút rồi thử lại',
  demoBadge: 'DEMO', language: 'Ngôn ngữ',
  linkDown: 'Mất kết nối với máy chủ. Đang thử kết nối lại…', linkBack: 'Đã kết nối lại', retry: 'Thử lại',
  myZones: 'Khu ruộng của tôi', zone: 'Khu', farm: 'Ruộng', gateway: 'Bộ điều khiển',
  online: 'Trực tuyến', offline: 'Mất kết nối', unknown: 'Chưa rõ', lastSeen: 'Lần cuối: {t}',
  waterLevel: 'Mực nước', soilMoisture: 'Độ ẩm đất', salinity: 'Độ mặn',
  valves: 'Van và bơm', open: 'Mở', closed: 'Đóng',
  chart: 'Biểu đồ', range24h: '24 giờ', range7d: '7 ngày', range30d: '30 ngày', noData: 'Chưa có số liệu',
  settings: 'Chế độ và ngưỡng', mode: 'Chế độ', mode_awd: 'Ngập khô xen kẽ (AWD)', mode_threshold: 'Theo độ ẩm đất',
  mode_schedule: 'Theo lịch', mode_off: 'Tắt',
  refloodCm: 'Bơm lại khi mực nước xuống (cm)', targetCm: 'Bơm đến mực nước (cm)',
  refillPct: 'Tưới khi độ ẩm dưới (%)', fieldCapacityPct: 'Ngưng khi độ ẩm đạt (%)',
  salinityLimitPpt: 'Giới hạn độ mặn nước vào (‰)', maxRunMinutes: 'Thời gian chạy tối đa (phút)',
  scheduleWindows: 'Khung giờ tưới (HH:MM-HH:MM, cách nhau bởi dấu phẩy)',
  save: 'Lưu và gửi xuống ruộng', saving: 'Đang gửi…',
  status_pending: 'Đang chờ bộ điều khiển xác nhận (phiên bản {v})', status_applied: 'Đã áp dụng (phiên bản {v})',
  status_rejected: 'Bộ điều khiển từ chối phiên bản {v}:', invalid: 'Chưa hợp lệ:',
  manual: 'Điều khiển tay', openFor: 'Mở van trong (phút)', openValve: 'Mở van', closeValve: 'Đóng van', stopAll: 'Dừng tất cả',
  cmd_sent: 'Đã gửi lệnh, chờ xác nhận…', cmd_done: 'Bộ điều khiển đã thực hiện', cmd_rejected: 'Bộ điều khiển từ chối: {r}',
  cmd_expired: 'Lệnh hết hạn trước khi tới nơi', cmd_duplicate: 'Lệnh trùng, không thực hiện lại',
  decisions: 'Quyết định gần đây', alerts: 'Cảnh báo', noAlerts: 'Không có cảnh báo',
  alert_gateway_offline: 'Bộ điều khiển mất kết nối', alert_sensor_fault: 'Lỗi cảm biến',
  alert_salinity_interlock: 'Chặn lấy nước do mặn', alert_water_level: 'Mực nước bất thường',
  forbidden: 'Bạn không có quyền xem trang này',
  technician: 'Kỹ thuật viên', fieldsMap: 'Bản đồ ruộng', gateways: 'Bộ điều khiển và tình trạng', provisioning: 'Đăng ký bộ điều khiển',
  gatewayId: 'Mã bộ điều khiển', farmId: 'Ruộng', register: 'Đăng ký', credentialsOnce: 'Thông tin đăng nhập MQTT — chỉ hiện một lần, hãy chép lại ngay:',
  username: 'Tên', missions: 'Kế hoạch bay phun', planMission: 'Lập kế hoạch', field: 'Thửa ruộng', drone: 'Máy bay', product: 'Thuốc',
  rateLha: 'Lượng phun (L/ha)', approve: 'Duyệt', download: 'Tải về', area: 'Diện tích', pathLength: 'Quãng đường',
  sorties: 'Số chuyến', litres: 'Lượng thuốc', coverage: 'Độ phủ', warnings: 'Lưu ý', approved: 'Đã duyệt',
  missionsUnavailable: 'Chưa có bộ lập kế hoạch bay trên máy chủ này',
  weatherCheck: 'Thời tiết lúc phun', windMps: 'Gió trung bình (m/s)', gustMps: 'Gió giật (m/s)', rainMmH: 'Mưa (mm/giờ)',
  rainChancePct: 'Khả năng mưa (%)', weatherRefused: 'Không được duyệt vì thời tiết:', weatherWarnings: 'Thời tiết cần lưu ý:',
  acceptWarnings: 'Tôi đã xem các lưu ý và vẫn duyệt', flown: 'Đã bay', verified: 'Đã kiểm tra',
  uploadField: 'Tải ranh giới thửa ruộng lên', fieldName: 'Tên thửa (không bắt buộc)', boundaryFile: 'Tệp ranh giới (GeoJSON hoặc KML)',
  upload: 'Tải lên', fieldRejected: 'Tệp chưa dùng được:', fieldAdded: 'Đã thêm thửa “{name}” ({area} ha) vào bản đồ',
  officer: 'Cán bộ nông nghiệp', adoption: 'Mức độ ứng dụng theo xã', adoptionSoon: 'Bảng tổng hợp theo xã sẽ có ở đây (số bộ điều khiển trực tuyến, diện tích tự động hoá, nước tiết kiệm, diện tích phun bằng máy bay).',
  audit: 'Nhật ký thay đổi', who: 'Ai', what: 'Việc', when: 'Lúc', change: 'Cũ → mới',
  changePassword: 'Đổi mật khẩu', currentPassword: 'Mật khẩu hiện tại', newPassword: 'Mật khẩu mới', passwordChanged: 'Đã đổi mật khẩu, hãy đăng nhập lại',
  missionList: 'Các chuyến bay phun', state: 'Trạng thái', actions: 'Thao tác', draft: 'Bản nháp', markFlown: 'Đánh dấu đã bay', flownByDrone: 'Mã máy bay đã bay',
  verify: 'Kiểm tra sau khi bay', showReport: 'Xem báo cáo', refresh: 'Làm mới', noMissions: 'Chưa có chuyến bay phun nào',
  asAppliedReport: 'Bản đồ và báo cáo phun thực tế', inTolerance: 'Diện tích phun đúng liều (±20 %)', missedArea: 'Diện tích bỏ sót',
  oversprayArea: 'Phun ra ngoài ruộng', litresUsedPlanned: 'Thuốc đã dùng / theo kế hoạch', targetRate: 'Liều mục tiêu',
  rate_missed: 'Bỏ sót (< 50 %)', rate_under: 'Thiếu', rate_ok: 'Đúng liều', rate_over: 'Thừa', rate_overspray: 'Ngoài ruộng',
  loading: 'Đang tải…', error: 'Lỗi: {m}', mapOffline: 'Không tải được bản đồ nền; hiển thị ranh giới trên nền trống',
};
export type MsgKey = keyof typeof vi;

const en: Record<MsgKey, string> = {
  appName: 'Ruộng Số',
  login: 'Log in', logout: 'Log out', loginLabel: 'Username or phone number', password: 'Password',
  loginFailed: 'Wrong username or password', tooMany: 'Too many attempts; wait a minute and try again',
  demoBadge: 'DEMO', language: 'Language',
  linkDown: 'Lost the connection to the server. Reconnecting…', linkBack: 'Connected again', retry: 'Retry',
  myZones: 'My zones', zone: 'Zone', farm: 'Farm', gateway: 'Gateway',
  online: 'Online', offline: 'Offline', unknown: 'Unknown', lastSeen: 'Last seen: {t}',
  waterLevel: 'Water level', soilMoisture: 'Soil moisture', salinity: 'Salinity',
  valves: 'Valves and pumps', open: 'Open', closed: 'Closed',
  chart: 'Chart', range24h: '24 h', range7d: '7 days', range30d: '30 days', noData: 'No data yet',
  settings: 'Mode and thresholds', mode: 'Mode', mode_awd: 'Alternate wetting and drying (AWD)', mode_threshold: 'Soil moisture thresholds',
  mode_schedule: 'Schedule', mode_off: 'Off',
  refloodCm: 'Re-flood when water falls to (cm)', targetCm: 'Flood up to (cm)',
  refillPct: 'Irrigate below moisture (%)', fieldCapacityPct: 'Stop at moisture (%)',
  salinityLimitPpt: 'Intake salinity limit (‰)', maxRunMinutes: 'Maximum run time (min)',
  scheduleWindows: 'Irrigation windows (HH:MM-HH:MM, comma separated)',
  save: 'Save and send to the field', saving: 'Sending…',
  status_pending: 'Pending on gateway (version {v})', status_applied: 'Applied (version {v})',
  status_rejected: 'The gateway rejected version {v}:', invalid: 'Not valid yet:',
  manual: 'Manual control', openFor: 'Open for (minutes)', openValve: 'Open valve', closeValve: 'Close valve', stopAll: 'Stop all',
  cmd_sent: 'Command sent, waiting for the gateway…', cmd_done: 'Done by the gateway', cmd_rejected: 'The gateway refused: {r}',
  cmd_expired: 'The command expired before it arrived', cmd_duplicate: 'Duplicate command, not run again',
  decisions: 'Recent decisions', alerts: 'Alerts', noAlerts: 'No alerts',
  alert_gateway_offline: 'Gateway offline', alert_sensor_fault: 'Sensor fault',
  alert_salinity_interlock: 'Intake blocked: salinity', alert_water_level: 'Water level out of bounds',
  forbidden: 'You may not see this page',
  technician: 'Technician', fieldsMap: 'Fields map', gateways: 'Gateways and health', provisioning: 'Register a gateway',
  gatewayId: 'Gateway id', farmId: 'Farm', register: 'Register', credentialsOnce: 'MQTT credentials — shown once only, copy them now:',
  username: 'Name', missions: 'Spray missions', planMission: 'Plan', field: 'Field', drone: 'Drone', product: 'Product',
  rateLha: 'Rate (L/ha)', approve: 'Approve', download: 'Download', area: 'Area', pathLength: 'Path length',
  sorties: 'Sorties', litres: 'Product', coverage: 'Coverage', warnings: 'Warnings', approved: 'Approved',
  missionsUnavailable: 'No mission planner on this server yet',
  weatherCheck: 'Weather in the spray window', windMps: 'Mean wind (m/s)', gustMps: 'Gusts (m/s)', rainMmH: 'Rain (mm/h)',
  rainChancePct: 'Chance of rain (%)', weatherRefused: 'Refused because of the weather:', weatherWarnings: 'Weather warnings:',
  acceptWarnings: 'I have read the warnings and approve anyway', flown: 'Flown', verified: 'Verified',
  uploadField: 'Upload a field boundary', fieldName: 'Field name (optional)', boundaryFile: 'Boundary file (GeoJSON or KML)',
  upload: 'Upload', fieldRejected: 'The file cannot be used yet:', fieldAdded: 'Field “{name}” ({area} ha) added to the map',
  officer: 'Agriculture officer', adoption: 'Adoption by commune', adoptionSoon: 'The per-commune summary will be here (gateways online, hectares automated, water saved, hectares drone-sprayed).',
  audit: 'Audit log', who: 'Who', what: 'What', when: 'When', change: 'Old → new',
  changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password', passwordChanged: 'Password changed; log in again',
  missionList: 'Spray flights', state: 'State', actions: 'Actions', draft: 'Draft', markFlown: 'Mark flown', flownByDrone: 'Drone that flew it',
  verify: 'Verify the flight', showReport: 'Show report', refresh: 'Refresh', noMissions: 'No spray missions yet',
  asAppliedReport: 'As-applied map and report', inTolerance: 'Area within ±20 % of target rate', missedArea: 'Missed area',
  oversprayArea: 'Overspray outside the field', litresUsedPlanned: 'Product used / planned', targetRate: 'Target rate',
  rate_missed: 'Missed (< 50 %)', rate_under: 'Under', rate_ok: 'On target', rate_over: 'Over', rate_overspray: 'Outside field',
  loading: 'Loading…', error: 'Error: {m}', mapOffline: 'Map tiles cannot be reached; boundaries on a plain background',
};

export type Locale = 'vi' | 'en';
const catalogues: Record<Locale, Record<MsgKey, string>> = { vi, en };
const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('rs.locale')) as Locale | null;
export const locale = signal<Locale>(saved === 'en' || saved === 'vi' ? saved : 'vi');

export function setLocale(l: Locale): void {
  locale.value = l;
  localStorage.setItem('rs.locale', l);
  document.documentElement.lang = l;
}

export function t(key: MsgKey, params: Record<string, string | number> = {}): string {
  const s = catalogues[locale.value][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

const tag = () => (locale.value === 'vi' ? 'vi-VN' : 'en-GB');
export const fmtNumber = (n: number, digits = 1) => new Intl.NumberFormat(tag(), { maximumFractionDigits: digits }).format(n);
export const fmtDateTime = (ms: number) => new Intl.DateTimeFormat(tag(), { dateStyle: 'short', timeStyle: 'short' }).format(ms);
export const fmtTime = (ms: number) => new Intl.DateTimeFormat(tag(), { timeStyle: 'short' }).format(ms);
const UNITS: Record<string, string> = { cm: ' cm', '%': ' %', ppt: ' ‰', '‰': ' ‰', 'dS/m': ' dS/m', 'uS/cm': ' µS/cm', 'µS/cm': ' µS/cm', C: ' °C', '°C': ' °C' };
export const fmtValue = (v: number | null, unit: string) => (v === null ? '—' : `${fmtNumber(v)}${UNITS[unit] ?? ` ${unit}`}`);
