import type { Lang } from './columns.js';

/**
 * The printable report's own catalogue: every label it prints, the names of the unit kinds, and
 * the number / date formats of each language. Nothing English reaches the Vietnamese page.
 */
export const PRINT_LABELS = {
  vi: {
    title: 'Báo cáo mức độ ứng dụng nông nghiệp số',
    month: 'Tháng',
    summary: 'Tổng hợp',
    units: 'Theo đơn vị trực thuộc',
    trend: '12 tháng gần nhất',
    method: 'Cách tính',
    print: 'In',
    noData: 'không có số liệu',
    noDataNote: '— : không có số liệu (chưa có mức so sánh, ví dụ chưa đo được nước bơm).',
    generated: 'Lập lúc',
    localTime: 'giờ Việt Nam',
    app: 'Ruộng Số',
  },
  en: {
    title: 'Digital agriculture adoption report',
    month: 'Month',
    summary: 'Summary',
    units: 'By unit below',
    trend: 'Last 12 months',
    method: 'Method',
    print: 'Print',
    noData: 'no data',
    noDataNote: '— : no data (nothing to compare with, e.g. no metered water).',
    generated: 'Generated',
    localTime: 'Vietnam time',
    app: 'Ruộng Số',
  },
} satisfies Record<Lang, Record<string, string>>;

/** Unit kinds (registry levels) by code; an unknown code prints as itself. */
export const LEVEL_NAMES: Record<Lang, Record<string, string>> = {
  vi: {
    country: 'quốc gia',
    region: 'vùng',
    province: 'tỉnh',
    city: 'thành phố',
    district: 'huyện',
    town: 'thị xã',
    township: 'thị trấn',
    commune: 'xã',
    ward: 'phường',
    hamlet: 'ấp',
    village: 'thôn',
    cooperative: 'hợp tác xã',
  },
  en: {
    country: 'country',
    region: 'region',
    province: 'province',
    city: 'city',
    district: 'district',
    town: 'town',
    township: 'township',
    commune: 'commune',
    ward: 'ward',
    hamlet: 'hamlet',
    village: 'village',
    cooperative: 'cooperative',
  },
};

export const levelName = (level: string, lang: Lang): string => LEVEL_NAMES[lang][level] ?? level;

/** The report's time zone: the officers' local time, whatever the server's zone. */
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

const numberFormats = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

/** 3.8 → "3,8", 1234 → "1.234" in vi; "3.8", "1,234" in en. */
export const formatNumber = (x: number, lang: Lang): string => numberFormats[lang].format(x);

/** The moment the report was made, in local time: vi "04:40 02/12/2026". */
export function formatDateTime(at: number | string | Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: REPORT_TIME_ZONE,
    day: '2-digit',
    month: lang === 'vi' ? '2-digit' : 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

/** A report month "2026-11" → vi "11/2026", en "Nov 2026" (a calendar month, no time zone shift). */
export function formatMonth(month: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  if (lang === 'vi') return `${m[2]}/${m[1]}`;
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)),
  );
}
