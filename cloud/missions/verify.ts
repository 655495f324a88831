import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AsAppliedSample } from '../../protocol/index.js';
import { LocalFrame, frameFor, type LocalMulti, type XY } from './geo/local-frame.js';
import { EdgeIndex, bboxOf, edgesOf } from './geo/scanline.js';
import { DEFAULT_VERIFY_THRESHOLDS, verdictOf, type Verdict, type VerifyThresholds } from './verdict.js';

/**
 * An as-applied sample that may say which nozzle sections were open (left to right in the
 * direction of flight, equal widths across `swathM`); absent = the whole swath, as every sample
 * logged before sectional booms.
 */
export type AppliedSample = AsAppliedSample & { sections?: boolean[] };

export interface VerifyOptions {
  cellM?: number;
  /** ± share of the target rate that counts as correctly dosed */
  tolerance?: number;
  /** swath to assume when samples carry none */
  swathM?: number;
  /** the cooperative's pass / respray thresholds (DEFAULT_VERIFY_THRESHOLDS) */
  thresholds?: Partial<VerifyThresholds>;
}

export interface VerifyTarget {
  sprayable: MultiPolygon | Polygon;
  rateLPerHa: number;
  swathM: number;
  litresPlanned?: number;
}

/** Applied L/ha per cell, row-major from the south-west corner, null outside the grid's interest. */
export interface CompactGrid {
  origin: [number, number];
  x0: number;
  y0: number;
  cellM: number;
  cols: number;
  rows: number;
  values: Array<number | null>;
  /** 1 where the cell centre is sprayable ground */
  inside: number[];
}

export interface VerificationReport extends Verdict {
  targetLPerHa: number;
  cellM: number;
  sprayableM2: number;
  /** share of the sprayable area within ±tolerance of the target rate */
  inTolerance: number;
  /** sprayable area that got under half the target rate */
  missedM2: number;
  underM2: number;
  overM2: number;
  /** area outside the sprayable ground that got over 10 % of the target rate */
  oversprayM2: number;
  litresUsed: number;
  litresPlanned: number | null;
  samples: number;
  grid: CompactGrid;
}

/**
 * The spray a nozzle bar lays is not a sharp-edged band: the edges taper over a quarter of the
 * swath, so neighbouring passes overlap and sum to the nominal rate (how swath width is
 * defined in spray-pattern tests). `profile` integrates to the swath width.
 */
function profile(d: number, w: number, t = w / 4): number {
  const a = Math.abs(d);
  if (a <= (w - t) / 2) return 1;
  if (a >= (w + t) / 2) return 0;
  return ((w + t) / 2 - a) / t;
}

function toMulti(g: MultiPolygon | Polygon, frame: LocalFrame): LocalMulti {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.map((p) => frame.polygonToLocal(p));
}

/**
 * Rasterises an as-applied log (samples in time order; each interval between two samples is a
 * straight segment flown at the first sample's flow) on a grid in the local frame, and compares
 * the applied L/ha per cell with the target.
 */
export function verifyAsApplied(
  target: VerifyTarget,
  samples: AppliedSample[],
  opts: VerifyOptions = {},
): VerificationReport {
  const cellM = opts.cellM ?? 2;
  const tol = opts.tolerance ?? 0.2;
  const outer = (
    target.sprayable.type === 'Polygon' ? target.sprayable.coordinates : target.sprayable.coordinates[0]!
  )[0]!;
  const frame = frameFor(outer);
  const area = toMulti(target.sprayable, frame);
  const bb = bboxOf(area);
  const margin = target.swathM * 2;
  const x0 = Math.floor((bb.minX - margin) / cellM) * cellM,
    y0 = Math.floor((bb.minY - margin) / cellM) * cellM;
  const cols = Math.ceil((bb.maxX + margin - x0) / cellM),
    rows = Math.ceil((bb.maxY + margin - y0) / cellM);
  const dose = new Float64Array(cols * rows);
  const inside = insideMask(area, x0, y0, cellM, cols, rows);
  let litresUsed = 0;
  const pts = samples.map((s) => frame.toLocal([s.lon, s.lat]));
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i - 1]!;
    if (!s.spraying || s.flowLpm <= 0) continue;
    const dt = (samples[i]!.ts - s.ts) / 1000;
    if (dt <= 0 || dt > 30) continue; // a gap in the log, not a segment flown
    const litres = (s.flowLpm / 60) * dt;
    litresUsed += litres;
    const w = s.swathM ?? opts.swathM ?? target.swathM;
    const g = { x0, y0, cellM, cols, rows };
    const bands = openBands(s.sections, w);
    if (!bands) deposit(dose, pts[i - 1]!, pts[i]!, litres, w, g);
    else {
      // the open sections' strips, each with its share of the litres and the swath's edge taper
      const open = bands.reduce((a, [lo, hi]) => a + hi - lo, 0);
      for (const [lo, hi] of bands)
        deposit(dose, pts[i - 1]!, pts[i]!, (litres * (hi - lo)) / open, hi - lo, g, {
          offset: (lo + hi) / 2,
          taper: Math.min(w / 4, hi - lo),
          reachW: w,
        });
    }
  }
  const report = summarise(dose, inside, {
    target,
    tol,
    cellM,
    cols,
    rows,
    x0,
    y0,
    frame,
    litresUsed,
    samples: samples.length,
  });
  const verdict = verdictOf(
    { ...report, rate: target.rateLPerHa, tol },
    { ...DEFAULT_VERIFY_THRESHOLDS, ...opts.thresholds },
  );
  return { ...report, ...verdict };
}

interface GridDims {
  x0: number;
  y0: number;
  cellM: number;
  cols: number;
  rows: number;
}

function insideMask(area: LocalMulti, x0: number, y0: number, cellM: number, cols: number, rows: number): Uint8Array {
  const mask = new Uint8Array(cols * rows);
  const index = new EdgeIndex(edgesOf(area), y0, y0 + rows * cellM, cellM);
  for (let r = 0; r < rows; r++) {
    const y = y0 + (r + 0.5) * cellM;
    for (const [a, b] of index.intervals(y)) {
      const c0 = Math.max(0, Math.ceil((a - x0) / cellM - 0.5)),
        c1 = Math.min(cols - 1, Math.floor((b - x0) / cellM - 0.5));
      for (let c = c0; c <= c1; c++) mask[r * cols + c] = 1;
    }
  }
  return mask;
}

/** Lateral bands (left positive) of the runs of adjacent open sections, or null for the whole swath. */
function openBands(sections: boolean[] | undefined, w: number): Array<[number, number]> | null {
  if (!sections || sections.every(Boolean) || !sections.some(Boolean)) return null;
  const k = sections.length;
  const bands: Array<[number, number]> = [];
  sections.forEach((o, j) => {
    if (!o) return;
    const lo = w / 2 - ((j + 1) * w) / k,
      hi = w / 2 - (j * w) / k;
    const last = bands.at(-1);
    if (last && Math.abs(last[0] - hi) < 1e-9) last[0] = lo;
    else bands.push([lo, hi]);
  });
  return bands;
}

function deposit(
  dose: Float64Array,
  a: XY,
  b: XY,
  litres: number,
  w: number,
  g: GridDims,
  band: { offset: number; taper: number; reachW: number } = { offset: 0, taper: w / 4, reachW: w },
): void {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < 0.01) return;
  const ux = (b[0] - a[0]) / len,
    uy = (b[1] - a[1]) / len;
  const reach = (band.reachW * 1.25) / 2;
  const perM2 = litres / (len * w);
  const c0 = Math.max(0, Math.floor((Math.min(a[0], b[0]) - reach - g.x0) / g.cellM));
  const c1 = Math.min(g.cols - 1, Math.floor((Math.max(a[0], b[0]) + reach - g.x0) / g.cellM));
  const r0 = Math.max(0, Math.floor((Math.min(a[1], b[1]) - reach - g.y0) / g.cellM));
  const r1 = Math.min(g.rows - 1, Math.floor((Math.max(a[1], b[1]) + reach - g.y0) / g.cellM));
  for (let r = r0; r <= r1; r++) {
    const cy = g.y0 + (r + 0.5) * g.cellM - a[1];
    for (let c = c0; c <= c1; c++) {
      const cx = g.x0 + (c + 0.5) * g.cellM - a[0];
      const along = cx * ux + cy * uy;
      if (along < 0 || along >= len) continue; // half-open: joints are not counted twice
      const p = profile(cx * -uy + cy * ux - band.offset, w, band.taper);
      if (p > 0) dose[r * g.cols + c]! += perM2 * p * 10_000;
    }
  }
}

function summarise(
  dose: Float64Array,
  inside: Uint8Array,
  p: {
    target: VerifyTarget;
    tol: number;
    cellM: number;
    cols: number;
    rows: number;
    x0: number;
    y0: number;
    frame: LocalFrame;
    litresUsed: number;
    samples: number;
  },
): Omit<VerificationReport, keyof Verdict> {
  const rate = p.target.rateLPerHa,
    cellA = p.cellM * p.cellM;
  let n = 0,
    ok = 0,
    missed = 0,
    under = 0,
    over = 0,
    outside = 0;
  const values = new Array<number | null>(dose.length);
  for (let i = 0; i < dose.length; i++) {
    const v = dose[i]!;
    values[i] = v > 0 || inside[i] ? Math.round(v * 10) / 10 : null;
    if (!inside[i]) {
      if (v >= 0.1 * rate) outside++;
      continue;
    }
    n++;
    if (Math.abs(v - rate) <= p.tol * rate) ok++;
    else if (v < 0.5 * rate) missed++;
    else if (v < rate) under++;
    else over++;
  }
  return {
    targetLPerHa: rate,
    cellM: p.cellM,
    sprayableM2: n * cellA,
    inTolerance: n ? ok / n : 0,
    missedM2: missed * cellA,
    underM2: under * cellA,
    overM2: over * cellA,
    oversprayM2: outside * cellA,
    litresUsed: Math.round(p.litresUsed * 100) / 100,
    litresPlanned: p.target.litresPlanned ?? null,
    samples: p.samples,
    grid: {
      origin: p.frame.origin,
      x0: p.x0,
      y0: p.y0,
      cellM: p.cellM,
      cols: p.cols,
      rows: p.rows,
      values,
      inside: Array.from(inside),
    },
  };
}

/** The grid as GeoJSON squares with `appliedLPerHa` (cells that got spray or should have): a map layer. */
export function gridToGeoJson(grid: CompactGrid, maxCells = 200_000): FeatureCollection<Polygon> {
  const frame = new LocalFrame(grid.origin);
  const features: FeatureCollection<Polygon>['features'] = [];
  for (let r = 0; r < grid.rows && features.length < maxCells; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const v = grid.values[r * grid.cols + c];
      if (v == null) continue;
      const x = grid.x0 + c * grid.cellM,
        y = grid.y0 + r * grid.cellM,
        s = grid.cellM;
      const ring = (
        [
          [x, y],
          [x + s, y],
          [x + s, y + s],
          [x, y + s],
          [x, y],
        ] as XY[]
      ).map((q) => frame.toLonLat(q));
      features.push({
        type: 'Feature',
        properties: { appliedLPerHa: v, inside: grid.inside[r * grid.cols + c] === 1 },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
