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
    for (const poly of allowed) for (const ring of poly) {
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
    if (ok === undefined) { ok = this.clearFromInside(pts[i]!, pts[j]!); this.seen.set(key, ok); }
    return ok;
  }

  private noCrossing(a: XY, b: XY): boolean {
    const minX = Math.min(a[0], b[0]), maxX = Math.max(a[0], b[0]);
    const minY = Math.min(a[1], b[1]), maxY = Math.max(a[1], b[1]);
    for (const [c, d] of this.grid.near(minX, minY, maxX, maxY)) {
      if (Math.max(c[0], d[0]) < minX || Math.min(c[0], d[0]) > maxX) continue;
      if (Math.max(c[1], d[1]) < minY || Math.min(c[1], d[1]) > maxY) continue;
      const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
      if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return false;
    }
    return true;
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
      let u = -1, best = Infinity;
      for (let i = 0; i < pts.length; i++) {
        if (closed[i] || g[i] === Infinity) continue;
        const f = g[i]! + dist(pts[i]!, b);
        if (f < best) { best = f; u = i; }
      }
      if (u < 0) return null;
      if (u === 1) break;
      closed[u] = 1;
      for (let v = 1; v < pts.length; v++) {
        if (closed[v]) continue;
        const nd = g[u]! + dist(pts[u]!, pts[v]!);
        if (nd < g[v]! && this.clearNodes(u, v, pts)) { g[v] = nd; from[v] = u; }
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
    const p = ring[(i - 1 + n) % n]!, c = ring[i]!, q = ring[(i + 1) % n]!;
    const turn = orient(p, c, q);
    if ((freeLeft && turn < -1e-9) || (!freeLeft && turn > 1e-9)) out.push(c);
  }
  return out;
}

/** Boundary edges bucketed on a coarse grid, so a crossing test looks only at nearby edges. */
class EdgeGrid {
  private readonly cells: Seg[][];
  private readonly x0: number; private readonly y0: number;
  private readonly size: number; private readonly n: number;
  private readonly stamp: Uint32Array;
  private readonly index = new Map<Seg, number>();
  private tick = 0;

  constructor(private readonly edges: Seg[]) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [a, b] of edges) for (const p of [a, b]) {
      minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]); minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
    }
    this.n = 32;
    this.x0 = minX; this.y0 = minY;
    this.size = Math.max(maxX - minX, maxY - minY, 1) / this.n + 1e-9;
    this.cells = Array.from({ length: this.n * this.n }, () => []);
    this.stamp = new Uint32Array(edges.length);
    edges.forEach((e, i) => {
      this.index.set(e, i);
      const [c0, r0, c1, r1] = this.range(Math.min(e[0][0], e[1][0]), Math.min(e[0][1], e[1][1]), Math.max(e[0][0], e[1][0]), Math.max(e[0][1], e[1][1]));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) this.cells[r * this.n + c]!.push(e);
    });
  }

  private range(minX: number, minY: number, maxX: number, maxY: number): [number, number, number, number] {
    const clamp = (v: number) => Math.max(0, Math.min(this.n - 1, Math.floor(v)));
    return [clamp((minX - this.x0) / this.size), clamp((minY - this.y0) / this.size), clamp((maxX - this.x0) / this.size), clamp((maxY - this.y0) / this.size)];
  }

  /** Edges whose cells meet the box, each once. */
  near(minX: number, minY: number, maxX: number, maxY: number): Seg[] {
    const out: Seg[] = [];
    this.tick++;
    const [c0, r0, c1, r1] = this.range(minX, minY, maxX, maxY);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
      for (const e of this.cells[r * this.n + c]!) {
        const i = this.index.get(e)!;
        if (this.stamp[i] !== this.tick) { this.stamp[i] = this.tick; out.push(e); }
      }
    }
    return out;
  }
}
