import { useEffect, useRef } from 'preact/hooks';
import { tr } from '../../i18n-reports.js';
import { fmtMonth, fmtNumber } from '../../i18n.js';
import { valueOf, type KpiOverMonths } from './types.js';

const COLOURS = ['#1f6f3f', '#b5651d', '#2a5db0', '#8e44ad', '#c0392b', '#16a085'];

/** One line per unit of the chosen KPI over the months, drawn with uPlot (loaded on first use). */
export function TrendChart({ units, months, rows, kpi }: KpiOverMonths) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void } | undefined;
    let cancelled = false;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
      ([mod]) => {
        if (cancelled || !box.current || !months.length) return;
        const cell = new Map(rows.map((r) => [`${r.unitId}/${r.month}`, r]));
        const xs = months.map((_, i) => i);
        plot = new mod.default(
          {
            width: Math.max(280, box.current.clientWidth),
            height: 220,
            scales: { x: { time: false } },
            axes: [
              {
                values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) && months[i] ? fmtMonth(months[i]) : '')),
              },
              { size: 60, values: (_u, ticks) => ticks.map((v) => fmtNumber(v)) },
            ],
            series: [
              { label: tr('month'), value: (_u, i) => (months[i] ? fmtMonth(months[i]) : '') },
              ...units.map((u, i) => ({ label: u.name, stroke: COLOURS[i % COLOURS.length]!, width: 2 })),
            ],
          },
          [xs, ...units.map((u) => months.map((m) => valueOf(cell.get(`${u.id}/${m}`), kpi)))],
          box.current,
        );
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [units, months, rows, kpi]);
  return (
    <figure class="chart" data-testid="trend-chart">
      <figcaption>
        {tr('trend')} — {tr(kpi)}
      </figcaption>
      <div ref={box} class="plot" />
    </figure>
  );
}
