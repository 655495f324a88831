import { useRef } from 'preact/hooks';
import { fmtNumber, fmtMonth } from '../../i18n.js';
import { tr, type ReportMsgKey } from '../../i18n-reports.js';
import { textEl } from '../../components/field-map.js';
import { useCommuneMap } from '../../components/commune-map-loader.js';
import { shade } from './choropleth.js';
import { valueOf, type AdoptionRow, type ReportUnit } from './types.js';

/**
 * The communes on a map, each filled by the chosen KPI in the chosen month (light → dark green
 * between the smallest and largest value), its name and value as a label. Outlines are the demo
 * district's (public/demo-communes.geojson), matched to the report's units by name.
 */
export function CommuneMap({
  units,
  rows,
  kpi,
  month,
  tileUrl,
}: {
  units: ReportUnit[];
  rows: AdoptionRow[];
  kpi: ReportMsgKey;
  month: string;
  tileUrl: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useCommuneMap(
    box,
    (L, el, outlines) => {
      const m = L.map(el, { zoomControl: false, attributionControl: !!tileUrl });
      m.attributionControl?.setPrefix(false);
      if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap' }).addTo(m);
      const byName = new Map(units.map((u) => [u.name, u]));
      const cell = new Map(rows.filter((r) => r.month === month).map((r) => [r.unitId, r]));
      const values = [...cell.values()]
        .filter((r) => byName.get(r.unitName))
        .map((r) => valueOf(r, kpi))
        .filter((v): v is number => v !== null);
      const group = L.featureGroup().addTo(m);
      for (const c of outlines?.features ?? []) {
        const u = byName.get(c.properties.name);
        const v = u ? valueOf(cell.get(u.id), kpi) : null;
        const fill = shade(v, Math.min(...values), Math.max(...values)) ?? '#f2f2f2';
        L.geoJSON(c.geometry as never, {
          interactive: false,
          style: { color: '#3d4d33', weight: 2, fillColor: fill, fillOpacity: 0.85 },
        })
          .bindTooltip(textEl(`${c.properties.name}: ${v === null ? '—' : fmtNumber(v)}`), {
            permanent: true,
            direction: 'center',
            className: 'commune-label',
          })
          .addTo(group);
      }
      const b = group.getBounds();
      if (b.isValid()) m.fitBounds(b, { padding: [8, 8] });
      else m.setView([9.553, 106.158], 12);
      return m;
    },
    [units, rows, kpi, month, tileUrl],
  );
  return (
    <figure class="chart" data-testid="commune-map">
      <figcaption>
        {tr('communeMap', { m: fmtMonth(month) })} — {tr(kpi)}
      </figcaption>
      <div ref={box} class="map" role="img" aria-label={`${tr('communeMap', { m: fmtMonth(month) })} — ${tr(kpi)}`} />
    </figure>
  );
}
