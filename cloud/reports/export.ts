import ExcelJS from 'exceljs';
import { COLUMNS, type Lang } from './columns.js';
import type { AdoptionRow } from './rollup.js';

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. */
function csvField(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * CSV with a UTF-8 byte-order mark, so Excel (what district offices open it with) shows
 * Vietnamese diacritics; numbers with a dot as decimal separator; empty cell = not defined.
 */
export function adoptionCsv(rows: AdoptionRow[], lang: Lang = 'vi'): string {
  const lines = [COLUMNS.map((c) => csvField(c[lang])).join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(r[c.key])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** XLSX: one sheet of rows (numbers as numbers), a header row frozen, plus a sheet of notes. */
export async function adoptionXlsx(rows: AdoptionRow[], opts: { lang?: Lang; notes?: string[] } = {}): Promise<Buffer> {
  const lang = opts.lang ?? 'vi';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ruộng Số';
  const ws = wb.addWorksheet(lang === 'vi' ? 'Ung dung' : 'Adoption', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({
    header: c[lang],
    key: c.key,
    width: Math.max(10, Math.min(40, c[lang].length + 2)),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, r[c.key] ?? null])));
  if (opts.notes?.length) {
    const notes = wb.addWorksheet(lang === 'vi' ? 'Cach tinh' : 'Method');
    for (const n of opts.notes) notes.addRow([n]);
    notes.getColumn(1).width = 120;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
