import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { useCommuneMap } from './commune-map-loader.js';

export interface MapField {
  id: string;
  name: string;
  boundary: { type: 'Polygon'; coordinates: number[][][] };
}
export interface MapLine {
  coordinates: number[][];
  kind: string;
}
/** A GeoJSON overlay (e.g. an as-applied grid) styled per feature from its properties. */
export interface MapOverlay {
  data: unknown;
  style: (properties: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Fields (and a planned route) on a Leaflet map. The tile URL comes from /ui-config.json; when
 * no tile loads the map keeps a plain background and says so. Leaflet loads on first use.
 */
/** A tooltip or popup's content as a DOM text node: whatever the string holds stays text. */
export function textEl(s: string): HTMLElement {
  const el = document.createElement('span');
  el.textContent = s;
  return el;
}

export function FieldMap({
  fields,
  lines = [],
  overlay,
  tileUrl,
  labels = true,
}: {
  fields: MapField[];
  lines?: MapLine[];
  overlay?: MapOverlay;
  tileUrl: string;
  labels?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [tilesDown, setTilesDown] = useState(false);
  useCommuneMap(
    box,
    (L, el, outlines) => {
      const m = L.map(el, { attributionControl: true, zoomControl: false });
      L.control.zoom({ zoomInTitle: t('zoomIn'), zoomOutTitle: t('zoomOut') }).addTo(m);
      m.attributionControl.setPrefix(false);
      let loaded = false;
      if (tileUrl) {
        const layer = L.tileLayer(tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap' }).addTo(m);
        layer.on('tileload', () => {
          loaded = true;
          setTilesDown(false);
        });
        layer.on('tileerror', () => {
          if (!loaded) setTilesDown(true);
        });
      } else setTilesDown(true);
      // commune outlines and names under the fields: a readable map even without tiles
      for (const c of outlines?.features ?? []) {
        L.geoJSON(c.geometry as never, {
          interactive: false,
          style: { color: '#6b7f5a', weight: 2, dashArray: '6 4', fill: false },
        })
          .bindTooltip(textEl(c.properties.name), {
            permanent: true,
            direction: 'center',
            className: 'commune-label',
          })
          .addTo(m);
      }
      const group = L.featureGroup().addTo(m);
      if (overlay)
        L.geoJSON(overlay.data as never, {
          style: (f) => overlay.style((f?.properties ?? {}) as Record<string, unknown>),
        }).addTo(group);
      // names are typed by people: a text node, never an HTML string (bindTooltip(string) is innerHTML)
      for (const f of fields)
        L.geoJSON(f.boundary, { style: { color: '#1f6f3f', weight: 2 } })
          .bindTooltip(textEl(f.name), { permanent: labels, direction: 'center', className: 'field-label' })
          .addTo(group);
      for (const l of lines)
        L.polyline(
          l.coordinates.map(([lon, lat]) => [lat!, lon!] as [number, number]),
          {
            color: l.kind === 'spray' ? '#c0392b' : '#555',
            weight: l.kind === 'spray' ? 2 : 1,
            dashArray: l.kind === 'spray' ? undefined : '4',
          },
        ).addTo(group);
      const b = group.getBounds();
      if (b.isValid()) m.fitBounds(b, { padding: [10, 10] });
      else m.setView([9.553, 106.158], 13);
      return m;
    },
    [fields, lines, overlay, tileUrl, labels],
    () => setTilesDown(true),
  );
  return (
    <div>
      <div ref={box} class="map" role="img" aria-label={t('fieldsMap')} />
      {tilesDown && (
        <p class="muted" role="status">
          {t('mapOffline')}
        </p>
      )}
    </div>
  );
}
