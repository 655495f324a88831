import type { LocalMulti, XY } from './geo/local-frame.js';
import { booleanPointInPolygon, polygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { ringArea } from './geo/ops.js';

type Seg = [XY, XY];

const orient = (a: XY, b: XY, c: XY) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

export function polylineLength(pts: XY[]): number {
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += dist(pts[i - 1]!, pts[i]!);
  return s;
}

/**
 * Transit between two points without leaving the allowed ground (the field minus holes and
 * exclusions): a straight leg when it stays inside, otherwise the shortest path through a
 * visibility graph whose nodes are the reflex corners of the headland loops (a shortest path
 * inside a polygon only bends at reflex corners). Visibility is computed lazily during A*.
 */
export class TransitRouter {
  private readonly edges: Seg[] = [];
  private readonly allowed: Array<Feature<Polygon>>;
  private readonly nodes: XY[];
  /** visibility between graph nodes, by node-pair index: the same pairs recur on every transit */
  private readonly seen = new Map<number, boolean>();

  constructor(allowed: LocalMulti, headlandLoops: Array<{ ring: XY[]; hole: boolean }>) {
    this.allowed = allowed.map((p) => polygon(p as number[][][]));
    for (const poly of allowed)
      for (const ring of poly) {
        for (let i = 1; i < ring.length; i++) this.edges.push([ring[i - 1]!, ring[i]!]);
      }
    this.nodes = headlandLoops.flatMap((l) => reflexCorners(l.ring, l.hole));
    this.grid = new EdgeGrid(this.edges);
  }

  private readonly grid: EdgeGrid;

  /** True when the straight segment a→b stays on allowed ground. */
  clear(a: XY, b: XY): boolean {
    return this.noCrossing(a, b) && this.inside([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
  }

  /** For a segment from a point known to be inside: no boundary crossing means inside. */
  private clearFromInside(a: XY, b: XY): boolean {
    return this.noCrossing(a, b);
  }

  inside(p: XY): boolean {
    return this.allowed.some((f) => booleanPointInPolygon(p, f));
  }

  private clearNodes(i: number, j: number, pts: XY[]): boolean {
    // every point here is inside (checked before the search, or a headland corner)
    if (i < 2 || j < 2) return this.clearFromInside(pts[i]!, pts[j]!);
    const key = i < j ? i * 65_536 + j : j * 65_536 + i;
    let ok = this.seen.get(key);
    if (ok === undefined) {
      ok = this.clearFromInside(pts[i]!, pts[j]!);
      this.seen.set(key, ok);
    }
    return ok;
  }

  private noCrossing(a: XY, b: XY): boolean {
    return this.grid.noCrossing(a, b);
  }

  /** Polyline from a to b on allowed ground; straight when no path exists (e.g. home outside the field). */
  route(a: XY, b: XY): XY[] {
    if (dist(a, b) < 1e-6 || this.clear(a, b)) return [a, b];
    // a refill point off the field has no path on field ground: its ferry is flown straight
    if (!this.inside(a) || !this.inside(b)) return [a, b];
    return this.astar(a, b) ?? [a, b];
  }

  private astar(a: XY, b: XY): XY[] | null {
    const pts: XY[] = [a, b, ...this.nodes];
    const g = new Float64Array(pts.length).fill(Infinity);
    const from = new Int32Array(pts.length).fill(-1);
    const closed = new Uint8Array(pts.length);
    g[0] = 0;
    for (;;) {
      let u = -1,
        best = Infinity;
      for (let i = 0; i < pts.length; i++) {
        if (closed[i] || g[i] === Infinity) continue;
        const f = g[i]! + dist(pts[i]!, b);
        if (f < best) {
          best = f;
          u = i;
        }
      }
      if (u < 0) return null;
      if (u === 1) break;
      closed[u] = 1;
      for (let v = 1; v < pts.length; v++) {
        if (closed[v]) continue;
        const nd = g[u]! + dist(pts[u]!, pts[v]!);
        if (nd < g[v]! && this.clearNodes(u, v, pts)) {
          g[v] = nd;
          from[v] = u;
        }
      }
    }
    const path: XY[] = [];
    for (let i = 1; i >= 0; i = from[i]!) path.unshift(pts[i]!);
    return path;
  }
}

/** Corners where the free space turns reflex: where shortest paths bend. */
function reflexCorners(ring: XY[], hole: boolean): XY[] {
  const n = ring.length - 1; // closed ring
  if (n < 3) return [];
  // A shell walked counter-clockwise has the free space on its left; a hole's ring the reverse.
  const ccw = ringArea(ring) > 0;
  const freeLeft = hole ? !ccw : ccw;
  const out: XY[] = [];
  for (let i = 0; i < n; i++) {
    const p = ring[(i - 1 + n) % n]!,
      c = ring[i]!,
      q = ring[(i + 1) % n]!;
    const turn = orient(p, c, q);
    if ((freeLeft && turn < -1e-9) || (!freeLeft && turn > 1e-9)) out.push(c);
  }
  return out;
}

/** Boundary edges bucketed on a coarse grid, so a crossing test looks only at nearby edges. */
class EdgeGrid {
  private readonly cells: number[][];
  private readonly xy: Float64Array; // x1, y1, x2, y2 per edge
  private readonly x0: number;
  private readonly y0: number;
  private readonly size: number;
  private readonly n = 32;
  private readonly stamp: Uint32Array;
  private tick = 0;

  constructor(edges: Seg[]) {
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    this.xy = new Float64Array(edges.length * 4);
    edges.forEach(([a, b], i) => {
      this.xy.set([a[0], a[1], b[0], b[1]], i * 4);
      minX = Math.min(minX, a[0], b[0]);
      maxX = Math.max(maxX, a[0], b[0]);
      minY = Math.min(minY, a[1], b[1]);
      maxY = Math.max(maxY, a[1], b[1]);
    });
    this.x0 = minX;
    this.y0 = minY;
    this.size = Math.max(maxX - minX, maxY - minY, 1) / this.n + 1e-9;
    this.cells = Array.from({ length: this.n * this.n }, () => []);
    this.stamp = new Uint32Array(edges.length);
    edges.forEach(([a, b], i) => {
      const c0 = this.col(Math.min(a[0], b[0])),
        c1 = this.col(Math.max(a[0], b[0]));
      const r0 = this.row(Math.min(a[1], b[1])),
        r1 = this.row(Math.max(a[1], b[1]));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.cells[r * this.n + c]!.push(i);
    });
  }

  private col(x: number): number {
    return Math.max(0, Math.min(this.n - 1, Math.floor((x - this.x0) / this.size)));
  }
  private row(y: number): number {
    return Math.max(0, Math.min(this.n - 1, Math.floor((y - this.y0) / this.size)));
  }

  /** True when the segment a→b properly crosses no edge near it. */
  noCrossing(a: XY, b: XY): boolean {
    const minX = Math.min(a[0], b[0]),
      maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]),
      maxY = Math.max(a[1], b[1]);
    const t = ++this.tick,
      xy = this.xy;
    for (let r = this.row(minY), r1 = this.row(maxY); r <= r1; r++) {
      for (let c = this.col(minX), c1 = this.col(maxX); c <= c1; c++) {
        for (const i of this.cells[r * this.n + c]!) {
          if (this.stamp[i] === t) continue;
          this.stamp[i] = t;
          const cx = xy[i * 4]!,
            cy = xy[i * 4 + 1]!,
            dx = xy[i * 4 + 2]!,
            dy = xy[i * 4 + 3]!;
          if (Math.max(cx, dx) < minX || Math.min(cx, dx) > maxX || Math.max(cy, dy) < minY || Math.min(cy, dy) > maxY)
            continue;
          const o1 = (b[0] - a[0]) * (cy - a[1]) - (b[1] - a[1]) * (cx - a[0]);
          const o2 = (b[0] - a[0]) * (dy - a[1]) - (b[1] - a[1]) * (dx - a[0]);
          if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0))) continue;
          const o3 = (dx - cx) * (a[1] - cy) - (dy - cy) * (a[0] - cx);
          const o4 = (dx - cx) * (b[1] - cy) - (dy - cy) * (b[0] - cx);
          if ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) return false;
        }
      }
    }
    return true;
  }
}
