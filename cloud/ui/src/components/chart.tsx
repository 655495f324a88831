import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { dateFormat, fmtDateTime, fmtNumber, t, unitOf, type MsgKey } from '../i18n.js';
import { openPeriods, RANGES, type Period, type Range, type Series } from './chart-data.js';

export interface ChartMetric {
  label: MsgKey;
  sensor: string;
  metric: string;
}

/** x-axis labels in the reader's format and local time: hours for a day, day/month beyond */
function axisLabels(range: Range) {
  const f = dateFormat(range === '24h' ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'numeric' });
  return (_u: unknown, splits: number[]) => splits.map((s) => f.format(s * 1000));
}

type UPlotCtor = typeof import('uplot');

function draw(UPlot: UPlotCtor, box: HTMLElement, s: Series, periods: Period[], range: Range, label: string) {
  const pts = s.points.filter((p) => (p.mean ?? p.value) != null);
  return new UPlot(
    {
      width: Math.max(280, box.clientWidth),
      height: 150,
      legend: { show: false },
      series: [
        { value: (_u, v) => (v == null ? '' : fmtDateTime(v * 1000)) },
        { label, stroke: '#1f6f3f', width: 2, value: (_u, v) => (v == null ? '' : fmtNumber(v)) },
      ],
      axes: [
        { values: axisLabels(range), space: 60 },
        { size: 50, values: (_u, splits) => splits.map((v) => fmtNumber(v)) },
      ],
      hooks: {
        // valve-open periods shaded behind the line
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.fillStyle = 'rgba(33, 150, 243, 0.18)';
            for (const p of periods) {
              const x0 = Math.max(bbox.left, u.valToPos(p.from / 1000, 'x', true));
              const x1 = Math.min(bbox.left + bbox.width, u.valToPos(p.to / 1000, 'x', true));
              if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    },
    [pts.map((p) => p.ts / 1000), pts.map((p) => p.mean ?? p.value ?? null)],
    box,
  );
}

/**
 * The history of one zone: water level, salinity and soil moisture (those it has sensors for)
 * over 24 h / 7 d / 30 d / the season, valve-open periods shaded, axes in local time. One request
 * for every metric of the gateway; uPlot loads on first use so the first page stays small.
 */
export function ZoneHistory({
  gatewayId,
  metrics,
  valves,
  live,
}: {
  gatewayId: string;
  metrics: ChartMetric[];
  valves: string[];
  live: Period[];
}) {
  const [range, setRange] = useState<Range>('24h');
  const [empty, setEmpty] = useState<Record<string, boolean>>({});
  const [offline, setOffline] = useState(false);
  const boxes = useRef<Record<string, HTMLDivElement | null>>({});
  useEffect(() => {
    const plots: Array<{ destroy(): void }> = [];
    let cancelled = false;
    const to = Date.now();
    const { ms, every } = RANGES[range];
    const q = `from=${to - ms}&to=${to}&every=${every}`;
    Promise.all([
      api<{ series?: Series[]; everyMs?: number }>(
        'GET',
        `/api/v1/gateways/${encodeURIComponent(gatewayId)}/readings?${q}`,
      ),
      import('uplot'),
      import('uplot/dist/uPlot.min.css'),
    ]).then(
      ([res, mod]) => {
        if (cancelled) return;
        setOffline(false);
        const series = res.series ?? [];
        const periods = [...openPeriods(series, valves, res.everyMs ?? 0), ...live];
        const e: Record<string, boolean> = {};
        for (const m of metrics) {
          const s = series.find((x) => x.sensor === m.sensor && x.metric === m.metric);
          const box = boxes.current[m.metric];
          e[m.metric] = !s || s.points.every((p) => (p.mean ?? p.value) == null);
          if (box && s && !e[m.metric]) plots.push(draw(mod.default, box, s, periods, range, t(m.label)));
        }
        setEmpty(e);
      },
      (err: unknown) => {
        if (cancelled) return;
        setOffline(err instanceof ApiError && err.status === 0);
        setEmpty(Object.fromEntries(metrics.map((m) => [m.metric, true])));
      },
    );
    return () => {
      cancelled = true;
      plots.forEach((p) => p.destroy());
    };
  }, [gatewayId, range, metrics.map((m) => m.metric).join(), valves.join(), live.length]);
  return (
    <figure class="chart" data-testid="zone-history">
      <figcaption>
        {t('history')}
        <span class="tabs" role="group" aria-label={t('chart')}>
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button type="button" key={r} aria-pressed={r === range} onClick={() => setRange(r)}>
              {t(RANGES[r].label)}
            </button>
          ))}
        </span>
      </figcaption>
      {metrics.map((m) => (
        <div key={m.metric} class="series">
          <h3 class="chart-title">
            {t(m.label)}{' '}
            <small class="muted">
              ({unitOf(m.metric === 'water_level' ? 'cm' : m.metric === 'salinity' ? 'ppt' : '%')})
            </small>
          </h3>
          <div
            ref={(el) => {
              boxes.current[m.metric] = el;
            }}
            class="plot"
            data-testid={`plot-${m.metric}`}
          />
          {empty[m.metric] && <p class="muted">{offline ? t('chartOffline') : t('noData')}</p>}
        </div>
      ))}
      <p class="muted legend">
        <span class="swatch" aria-hidden="true" /> {t('valveOpenShade')}
      </p>
    </figure>
  );
}
