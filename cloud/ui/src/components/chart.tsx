import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';

type Range = '24h' | '7d' | '30d';
const RANGES: Record<Range, { ms: number; every: string }> = {
  '24h': { ms: 86_400_000, every: '15m' },
  '7d': { ms: 7 * 86_400_000, every: '1h' },
  '30d': { ms: 30 * 86_400_000, every: '6h' },
};
interface Series { sensor: string; metric: string; unit?: string; points: Array<{ ts: number; mean?: number | null; value?: number | null }> }

/**
 * One metric of one sensor over 24 h / 7 d / 30 d, from the readings API, drawn with uPlot.
 * uPlot loads on first use so the first page stays small.
 */
export function Chart({ gatewayId, sensor, metric, label }: { gatewayId: string; sensor: string; metric: string; label: string }) {
  const [range, setRange] = useState<Range>('24h');
  const [empty, setEmpty] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void } | undefined;
    let cancelled = false;
    const to = Date.now();
    const { ms, every } = RANGES[range];
    const q = `metric=${encodeURIComponent(metric)}&from=${to - ms}&to=${to}&every=${every}`;
    Promise.all([
      api<{ series?: Series[] }>('GET', `/api/v1/gateways/${encodeURIComponent(gatewayId)}/readings?${q}`),
      import('uplot'),
      import('uplot/dist/uPlot.min.css'),
    ]).then(([res, mod]) => {
      if (cancelled || !box.current) return;
      const s = (res.series ?? []).find((x) => x.sensor === sensor && x.metric === metric);
      const pts = s?.points ?? [];
      setEmpty(pts.length === 0);
      if (!pts.length) return;
      const UPlot = mod.default;
      const width = Math.max(280, box.current.clientWidth);
      plot = new UPlot({
        width, height: 160, legend: { show: false },
        series: [{ value: (_u, v) => (v == null ? '' : fmtDateTime(v * 1000)) }, { label, stroke: '#1f6f3f', width: 2 }],
        axes: [{}, { size: 50 }],
      }, [pts.map((p) => p.ts / 1000), pts.map((p) => p.mean ?? p.value ?? null)], box.current);
    }, () => { if (!cancelled) setEmpty(true); });
    return () => { cancelled = true; plot?.destroy(); };
  }, [gatewayId, sensor, metric, range]);
  return (
    <figure class="chart">
      <figcaption>
        {label}
        <span class="tabs" role="group" aria-label={t('chart')}>
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button type="button" key={r} aria-pressed={r === range} onClick={() => setRange(r)}>{t(r === '24h' ? 'range24h' : r === '7d' ? 'range7d' : 'range30d')}</button>
          ))}
        </span>
      </figcaption>
      <div ref={box} class="plot" />
      {empty && <p class="muted">{t('noData')}</p>}
    </figure>
  );
}
