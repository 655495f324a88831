import type { MultiPolygon } from 'geojson';
import { LocalFrame, type LocalMulti, type XY } from './geo/local-frame.js';
import { unionLocal } from './geo/ops.js';
import type { CompactGrid } from './verify.js';

/** Cells of the sprayable ground whose applied rate falls in [lo, hi) L/ha, as polygons in the local frame. */
export function cellsBetween(grid: CompactGrid, lo: number, hi: number): LocalMulti {
  const rects: LocalMulti[] = [];
  const s = grid.cellM;
  for (let r = 0; r < grid.rows; r++) {
    let start = -1;
    for (let c = 0; c <= grid.cols; c++) {
      const i = r * grid.cols + c;
      const v = c < grid.cols && grid.inside[i] === 1 ? (grid.values[i] ?? 0) : null;
      const hit = v !== null && v >= lo && v < hi;
      if (hit && start < 0) start = c;
      if (!hit && start >= 0) {
        // one rectangle per run of cells in a row: the union joins rows
        const x0 = grid.x0 + start * s,
          x1 = grid.x0 + c * s,
          y0 = grid.y0 + r * s,
          y1 = y0 + s;
        rects.push([
          [
            [
              [x0, y0],
              [x1, y0],
              [x1, y1],
              [x0, y1],
              [x0, y0],
            ] as XY[],
          ],
        ]);
        start = -1;
      }
    }
  }
  return unionLocal(rects);
}

export function toWgs84(m: LocalMulti, origin: [number, number]): MultiPolygon {
  const frame = new LocalFrame(origin);
  return { type: 'MultiPolygon', coordinates: m.map((p) => p.map((ring) => frame.ringToLonLat(ring))) };
}
