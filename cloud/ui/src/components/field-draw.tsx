import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Leaflet from 'leaflet';

type LeafletLib = typeof Leaflet;
import { api, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { textEl, type MapField } from './field-map.js';
import type { UploadedField } from './field-upload.js';
import { SelectField } from './select-field.js';
import { FieldOutcome } from './field-outcome.js';
import { InputField } from './input-field.js';

type LatLngs = Array<{ lat: number; lng: number }>;
type Mode = 'boundary' | 'nospray';

/** Leaflet rings → a GeoJSON Polygon Feature: the boundary first, each no-spray zone a hole. */
export function drawnFeature(boundary: LatLngs, holes: LatLngs[]) {
  const ring = (ll: LatLngs) => {
    const r = ll.map((p) => [p.lng, p.lat]);
    return [...r, r[0]!];
  };
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [ring(boundary), ...holes.map(ring)] },
  };
}

interface Drawing {
  L: LeafletLib;
  map: Leaflet.Map;
  boundary: Leaflet.Polygon | null;
  holes: Leaflet.Polygon[];
}

/**
 * A technician draws a field's boundary and its no-spray zones on the map (leaflet-geoman, our own
 * buttons and Vietnamese tooltips), edits their points, or starts from an existing field, then
 * saves it through the same validation as an upload (POST /api/v1/fields; there is no route that
 * changes a field, so an edited one is saved as a new field).
 */
export function FieldDraw({
  farms,
  fields,
  tileUrl,
  onCreated,
}: {
  farms: Array<{ id: string; name: string }>;
  fields: MapField[];
  tileUrl: string;
  onCreated: (f: UploadedField) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const d = useRef<Drawing | null>(null);
  const mode = useRef<Mode>('boundary');
  const [ready, setReady] = useState(false);
  const [editing, setEditing] = useState(false);
  const [counts, setCounts] = useState({ b: false, n: 0 });
  const [farmId, setFarmId] = useState(farms[0]?.id ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<UploadedField | null>(null);
  const recount = () => setCounts({ b: !!d.current?.boundary, n: d.current?.holes.length ?? 0 });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const L = (await import('leaflet')).default as unknown as LeafletLib;
      await import('leaflet/dist/leaflet.css');
      // leaflet-geoman is a script that extends the global L
      (window as unknown as { L: LeafletLib }).L = L;
      await import('@geoman-io/leaflet-geoman-free');
      await import('@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css');
      if (cancelled || !box.current) return;
      const map = L.map(box.current, { zoomControl: false });
      L.control.zoom({ zoomInTitle: t('zoomIn'), zoomOutTitle: t('zoomOut') }).addTo(map);
      map.attributionControl.setPrefix(false);
      if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 20, attribution: '© OpenStreetMap' }).addTo(map);
      map.pm.setLang(
        'en',
        {
          tooltips: {
            firstVertex: t('gm_firstVertex'),
            continueLine: t('gm_continueLine'),
            finishPoly: t('gm_finishPoly'),
          },
        },
        'en',
      );
      const ref = L.featureGroup().addTo(map);
      for (const f of fields)
        L.geoJSON(f.boundary, {
          pmIgnore: true,
          interactive: false,
          style: { color: '#777', weight: 1, dashArray: '4' },
        } as never)
          .bindTooltip(textEl(f.name))
          .addTo(ref);
      const b = ref.getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
      else map.setView([9.55, 106.15], 15);
      map.on('pm:create', (e: { layer: Leaflet.Layer }) => {
        const layer = e.layer as Leaflet.Polygon;
        const cur = d.current!;
        if (mode.current === 'boundary') {
          cur.boundary?.remove();
          layer.setStyle({ color: '#1f6f3f', weight: 3 });
          cur.boundary = layer;
        } else {
          layer.setStyle({ color: '#c0392b', weight: 2, fillOpacity: 0.4 });
          cur.holes.push(layer);
        }
        recount();
      });
      d.current = { L, map, boundary: null, holes: [] };
      setReady(true);
    })().catch(setError);
    return () => {
      cancelled = true;
      d.current?.map.remove();
      d.current = null;
    };
  }, [fields, tileUrl]);

  const draw = (m: Mode) => {
    mode.current = m;
    d.current?.map.pm.enableDraw('Polygon', {
      snappable: true,
      templineStyle: { color: m === 'boundary' ? '#1f6f3f' : '#c0392b' },
    });
  };
  const toggleEdit = () => {
    d.current?.map.pm.toggleGlobalEditMode();
    setEditing(!editing);
  };
  const clear = () => {
    const cur = d.current;
    if (!cur) return;
    cur.boundary?.remove();
    cur.holes.forEach((h) => h.remove());
    cur.boundary = null;
    cur.holes = [];
    recount();
  };
  const startFrom = (id: string) => {
    const cur = d.current;
    const f = fields.find((x) => x.id === id);
    if (!cur || !f) return;
    clear();
    const [outer, ...inner] = f.boundary.coordinates.map((r) =>
      r.slice(0, -1).map(([lon, lat]) => [lat!, lon!] as [number, number]),
    );
    cur.boundary = cur.L.polygon(outer!, { color: '#1f6f3f', weight: 3 }).addTo(cur.map);
    cur.holes = inner.map((r) => cur.L.polygon(r, { color: '#c0392b', weight: 2, fillOpacity: 0.4 }).addTo(cur.map));
    cur.map.fitBounds(cur.L.latLngBounds(outer!), { padding: [20, 20] });
    recount();
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setCreated(null);
    const cur = d.current;
    if (!cur?.boundary) {
      setError(new ApiError(400, 'DRAW_NO_BOUNDARY', 'no boundary'));
      return;
    }
    const ll = (p: Leaflet.Polygon) => (p.getLatLngs()[0] as Leaflet.LatLng[]).map((x) => ({ lat: x.lat, lng: x.lng }));
    const feature = drawnFeature(ll(cur.boundary), cur.holes.map(ll));
    try {
      const f = await api<UploadedField>('POST', '/api/v1/fields', {
        farmId,
        file: JSON.stringify(feature),
        format: 'geojson',
        filename: 'drawn.geojson',
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      setCreated(f);
      onCreated(f);
      clear();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="card" aria-labelledby="draw-h">
      <h2 id="draw-h">{t('drawField')}</h2>
      <p class="muted">{t('drawHelp')}</p>
      <div class="row">
        <button type="button" disabled={!ready} onClick={() => draw('boundary')} data-testid="draw-boundary">
          {t('drawBoundary')}
        </button>
        <button type="button" disabled={!ready || !counts.b} onClick={() => draw('nospray')} data-testid="draw-nospray">
          {t('drawNoSpray')}
        </button>
        <button type="button" disabled={!ready || !counts.b} aria-pressed={editing} onClick={toggleEdit}>
          {editing ? t('doneEditing') : t('editShapes')}
        </button>
        <button type="button" disabled={!ready} onClick={clear}>
          {t('clearDrawing')}
        </button>
      </div>
      <div ref={box} class="map draw-map" data-testid="draw-map" role="application" aria-label={t('drawField')} />
      <p role="status" data-testid="draw-status">
        {t('drawStatus', { b: counts.b ? t('drawn') : t('notDrawn'), n: counts.n })}
      </p>
      <form class="row" onSubmit={(e) => void save(e)} noValidate>
        <SelectField
          id="draw-from"
          label={t('startFrom')}
          options={fields}
          blank={t('startBlank')}
          onChange={startFrom}
        />
        <SelectField id="draw-farm" label={t('farmId')} options={farms} value={farmId} onChange={setFarmId} />
        <InputField id="draw-name" label={t('fieldName')} maxLength={100} value={name} onValue={setName} />
        <button type="submit" class="primary" disabled={!ready}>
          {t('saveField')}
        </button>
      </form>
      <FieldOutcome
        testId="draw"
        error={error}
        refusal={error instanceof ApiError && error.code === 'DRAW_NO_BOUNDARY' ? t('needBoundary') : undefined}
        created={created}
      />
    </section>
  );
}
