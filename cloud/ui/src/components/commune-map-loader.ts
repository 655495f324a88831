import { useEffect, type Inputs } from 'preact/hooks';
import type { RefObject } from 'preact';
import type * as Leaflet from 'leaflet';

const loadLeaflet = () => import('leaflet').then((mod) => mod.default);
type LeafletLib = Awaited<ReturnType<typeof loadLeaflet>>;
type Outlines = { features: Array<{ properties: { name: string }; geometry: unknown }> } | null;

/** the demo district's communes (public/demo-communes.geojson), fetched once; none elsewhere is fine */
let communes: Promise<Outlines> | undefined;
export function communeOutlines(): Promise<Outlines> {
  communes ??= fetch('/demo-communes.geojson').then(
    (r) => (r.ok ? (r.json() as Promise<Outlines>) : null),
    () => null,
  );
  return communes;
}

/**
 * Loads Leaflet (on first use) and the commune outlines, then lets `draw` build a map in `box`.
 * The map is removed when `inputs` change or the component goes; `onFail` when Leaflet does not load.
 */
export function useCommuneMap(
  box: RefObject<HTMLDivElement | null>,
  draw: (L: LeafletLib, el: HTMLDivElement, outlines: Outlines) => Leaflet.Map,
  inputs: Inputs,
  onFail: () => void = () => undefined,
) {
  useEffect(() => {
    let map: Leaflet.Map | undefined;
    let cancelled = false;
    Promise.all([loadLeaflet(), import('leaflet/dist/leaflet.css'), communeOutlines()]).then(([L, , outlines]) => {
      if (cancelled || !box.current) return;
      map = draw(L, box.current, outlines);
    }, onFail);
    return () => {
      cancelled = true;
      map?.remove();
    };
  }, inputs);
}
