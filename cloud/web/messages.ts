/** Message catalogue of the first page: Vietnamese first, English switchable. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const messages = {
  vi: {
    title: 'Ruộng Số — Cổng kết nối',
    heading: 'Cổng kết nối và số đo mới nhất',
    gateway: 'Cổng',
    farm: 'Trang trại',
    commune: 'Xã',
    status: 'Trạng thái',
    lastSeen: 'Lần cuối',
    readings: 'Số đo mới nhất',
    online: 'Trực tuyến',
    offline: 'Mất kết nối',
    never: 'chưa có',
    none: 'Chưa có cổng kết nối nào.',
    noReadings: 'chưa có số đo',
    fault: 'lỗi cảm biến',
    unassigned: 'chưa gán',
    switchTo: 'English',
    api: 'Tài liệu API',
    updated: 'Cập nhật lúc',
    storeDown: 'không đọc được số đo',
  },
  en: {
    title: 'Ruộng Số — Gateways',
    heading: 'Gateways and their latest readings',
    gateway: 'Gateway',
    farm: 'Farm',
    commune: 'Commune',
    status: 'Status',
    lastSeen: 'Last seen',
    readings: 'Latest readings',
    online: 'Online',
    offline: 'Offline',
    never: 'never',
    none: 'No gateways yet.',
    noReadings: 'no readings yet',
    fault: 'sensor fault',
    unassigned: 'unassigned',
    switchTo: 'Tiếng Việt',
    api: 'API documentation',
    updated: 'Updated at',
    storeDown: 'readings unavailable',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type Messages = (typeof messages)[Locale];
