import { COLUMNS, type Lang } from './columns.js';
import { FLOOD_M3_PER_HA_DAY, KNAPSACK_L_PER_HA } from './kpis.js';
import { formatDateTime, formatMonth, formatNumber, levelName, PRINT_LABELS } from './print-i18n.js';
import type { AdoptionRow } from './rollup.js';

const esc = (s: string | number | null | undefined) =>
  String(s ?? '—').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How the numbers are made, printed under every report and written as a sheet in the XLSX. */
export function methodNotes(lang: Lang): string[] {
  return lang === 'vi'
    ? [
        'Số liệu tính tự động từ dữ liệu lưu trên hệ thống, không nhập tay.',
        'Thời gian trực tuyến: tổng thời gian bộ điều khiển trực tuyến / thời gian có theo dõi, theo các lần đổi trạng thái.',
        'Diện tích tự động / AWD: diện tích các khu có chế độ khác "Tắt" / chế độ AWD trong tháng, theo cấu hình đã áp dụng.',
        'Nước bơm = thời gian mở van × lưu lượng thiết kế (m³/giờ) của khu.',
        `Nước nếu ngập liên tục = diện tích AWD × số ngày × ${FLOOD_M3_PER_HA_DAY} m³/ha/ngày (bốc thoát hơi 5 mm + thấm 3 mm mỗi ngày để giữ ngập 5 cm).`,
        `Phun bình đeo vai: ${KNAPSACK_L_PER_HA} L/ha.`,
        'Người dùng hoạt động: số người đã dùng hệ thống trong 30 ngày cuối tháng.',
      ]
    : [
        'Every number is computed from data stored by the system, never typed in.',
        'Gateway uptime: time online / time observed, from the recorded state changes.',
        'Automated / AWD hectares: zones in a mode other than off / in AWD during the month, from applied configs.',
        "Water pumped = valve open time × the zone's configured flow (m³/h).",
        `Continuous-flooding baseline = AWD ha × days × ${FLOOD_M3_PER_HA_DAY} m³/ha/day (ET 5 mm + seepage and percolation 3 mm a day to hold a 5 cm flood).`,
        `Knapsack baseline: ${KNAPSACK_L_PER_HA} L/ha.`,
        'Active users: people who used the system in the 30 days up to the month end.',
      ];
}

type Cell = AdoptionRow[keyof AdoptionRow];

/** One value as the reader's language writes it: numbers via Intl, a missing percentage as "—". */
function cell(key: keyof AdoptionRow, v: Cell, lang: Lang): string {
  if (v === null || v === undefined) return `<abbr title="${esc(PRINT_LABELS[lang].noData)}">—</abbr>`;
  if (typeof v === 'number') return esc(formatNumber(v, lang));
  if (key === 'month') return esc(formatMonth(v, lang));
  if (key === 'level') return esc(levelName(v, lang));
  return esc(v);
}

function table(rows: AdoptionRow[], keys: (keyof AdoptionRow)[], lang: Lang): string {
  const cols = COLUMNS.filter((c) => keys.includes(c.key));
  return `<table><thead><tr>${cols.map((c) => `<th>${esc(c[lang])}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cols.map((c) => `<td>${cell(c.key, r[c.key], lang)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const KPI_KEYS = COLUMNS.map((c) => c.key).filter((k) => !['month', 'unitId', 'unitName', 'level'].includes(k));

/**
 * A self-contained printable page (inline CSS, nothing fetched; one print button): the unit's month, its child units,
 * the unit's last 12 months, and the method. The browser's "print to PDF" makes the PDF.
 */
export function monthlyReportHtml(o: {
  unit: AdoptionRow;
  children: AdoptionRow[];
  trend: AdoptionRow[];
  lang: Lang;
  generatedAt: number | string | Date;
}): string {
  const t = PRINT_LABELS[o.lang];
  const summary = KPI_KEYS.map((k) => {
    const c = COLUMNS.find((x) => x.key === k)!;
    return `<tr><th>${esc(c[o.lang])}</th><td>${cell(k, o.unit[k], o.lang)}</td></tr>`;
  }).join('');
  return `<!doctype html><html lang="${o.lang}"><head><meta charset="utf-8">
<title>${esc(t.title)} — ${esc(o.unit.unitName)} — ${esc(formatMonth(o.unit.month, o.lang))}</title>
<style>
body{font-family:system-ui,"Noto Sans",Arial,sans-serif;margin:2rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .4rem;text-align:right}
th{background:#eee;text-align:left}.summary th{width:22rem}
@media print{.noprint{display:none}body{margin:1cm}}
</style></head><body>
<button class="noprint" onclick="print()">${esc(t.print)}</button>
<h1>${esc(t.title)}</h1>
<p><strong>${esc(o.unit.unitName)}</strong> (${esc(levelName(o.unit.level, o.lang))}) — ${esc(t.month)} ${esc(formatMonth(o.unit.month, o.lang))}</p>
<h2>${esc(t.summary)}</h2><table class="summary"><tbody>${summary}</tbody></table>
${o.children.length ? `<h2>${esc(t.units)}</h2>${table(o.children, ['unitName', ...KPI_KEYS], o.lang)}` : ''}
<h2>${esc(t.trend)}</h2>${table(o.trend, ['month', ...KPI_KEYS], o.lang)}
<p><small>${esc(t.noDataNote)}</small></p>
<h2>${esc(t.method)}</h2><ul>${methodNotes(o.lang)
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ul>
<p><small>${esc(t.app)} — ${esc(t.generated)} ${esc(formatDateTime(o.generatedAt, o.lang))} (${esc(t.localTime)})</small></p>
</body></html>`;
}
