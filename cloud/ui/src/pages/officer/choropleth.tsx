import { fmtMonth, fmtNumber } from '../../i18n.js';
import { tr } from '../../i18n-reports.js';
import { valueOf, type KpiOverMonths } from './types.js';

/** Light to dark green by the value's place between the table's smallest and largest value. */
export function shade(v: number | null, min: number, max: number): string | undefined {
  if (v === null) return undefined;
  const f = max > min ? (v - min) / (max - min) : 1;
  return `hsl(140 45% ${Math.round(95 - f * 55)}%)`;
}

/** Units × months, each cell shaded by the chosen KPI: where adoption grows, and where it lags. */
export function Choropleth({ units, months, rows, kpi }: KpiOverMonths) {
  const cell = new Map(rows.map((r) => [`${r.unitId}/${r.month}`, r]));
  const values = rows.map((r) => valueOf(r, kpi)).filter((v): v is number => v !== null);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return (
    <div class="scroll">
      <table class="choropleth" data-testid="choropleth">
        <thead>
          <tr>
            <th>{tr('unit')}</th>
            {months.map((m) => (
              <th key={m}>{fmtMonth(m)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.id}>
              <th scope="row" style={{ paddingLeft: u.level === 'hamlet' ? '1.2rem' : undefined }}>
                {u.name}
              </th>
              {months.map((m) => {
                const v = valueOf(cell.get(`${u.id}/${m}`), kpi);
                const bg = shade(v, min, max);
                const dark = bg !== undefined && max > min && v !== null && (v - min) / (max - min) > 0.6;
                return (
                  <td key={m} style={{ background: bg, color: dark ? '#fff' : undefined, textAlign: 'right' }}>
                    {v === null ? '—' : fmtNumber(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
