import { fmtMonth, fmtNumber } from '../../i18n.js';
import { tr } from '../../i18n-reports.js';
import { KPIS, valueOf, type AdoptionRow, type ReportUnit } from './types.js';

/** A commune and its hamlets in one month: KPIs as rows, units as columns (fits a laptop screen). */
export function MonthTable({
  commune,
  units,
  rows,
  month,
}: {
  commune: ReportUnit;
  units: ReportUnit[];
  rows: AdoptionRow[];
  month: string;
}) {
  const cols = [commune, ...units.filter((u) => u.parentId === commune.id)];
  const cell = new Map(rows.filter((r) => r.month === month).map((r) => [r.unitId, r]));
  return (
    <section class="card" data-testid={`commune-${commune.id}`}>
      <h3>
        {commune.name} — {tr('perCommune', { m: fmtMonth(month) })}
      </h3>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>{tr('kpi')}</th>
              {cols.map((u) => (
                <th key={u.id}>{u.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {KPIS.map((k) => (
              <tr key={k}>
                <th scope="row">{tr(k)}</th>
                {cols.map((u) => {
                  const v = valueOf(cell.get(u.id), k);
                  return (
                    <td key={u.id} style={{ textAlign: 'right' }}>
                      {v === null ? '—' : fmtNumber(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
