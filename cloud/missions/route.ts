import type { XY } from './geo/local-frame.js';
import { unrotate } from './geo/scanline.js';
import type { Cell } from './passes.js';
import type { TransitRouter } from './router.js';

export type LegKind = 'spray' | 'transit' | 'ferry';
/** A leg in the local frame; `sortie` is filled in by the sortie splitter. */
export interface LocalLeg { kind: LegKind; pts: XY[]; sortie?: number }

type Element =
  | { kind: 'loop'; ring: XY[] }
  | { kind: 'cell'; passes: Array<[XY, XY]> };

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Cell passes back in the local frame, as [west-ish end, east-ish end] of the aligned frame. */
export function cellsToLocal(cells: Cell[], cos: number, sin: number): Array<Array<[XY, XY]>> {
  return cells.map((c) => c.map((p) => [unrotate([p.x0, p.y], cos, sin), unrotate([p.x1, p.y], cos, sin)] as [XY, XY]));
}

interface Entry { el: Element; at: XY; reverse: boolean; startRight: boolean; vertex: number }

function entriesOf(el: Element, from: XY): Entry[] {
  if (el.kind === 'loop') {
    let vertex = 0, best = Infinity;
    for (let i = 0; i < el.ring.length - 1; i++) {
      const d = dist(from, el.ring[i]!);
      if (d < best) { best = d; vertex = i; }
    }
    return [{ el, at: el.ring[vertex]!, reverse: false, startRight: false, vertex }];
  }
  const first = el.passes[0]!, last = el.passes[el.passes.length - 1]!;
  return [
    { el, at: first[0], reverse: false, startRight: false, vertex: 0 },
    { el, at: first[1], reverse: false, startRight: true, vertex: 0 },
    { el, at: last[0], reverse: true, startRight: false, vertex: 0 },
    { el, at: last[1], reverse: true, startRight: true, vertex: 0 },
  ];
}

/** Spray legs of one element, entered as chosen; passes alternate direction (boustrophedon). */
function sprayLegs(e: Entry): XY[][] {
  if (e.el.kind === 'loop') {
    const open = e.el.ring.slice(0, -1);
    const rot = [...open.slice(e.vertex), ...open.slice(0, e.vertex)];
    return [[...rot, rot[0]!]];
  }
  const passes = e.reverse ? e.el.passes.slice().reverse() : e.el.passes;
  return passes.map((p, i) => ((i % 2 === 0) !== e.startRight ? [p[0], p[1]] : [p[1], p[0]]));
}

/**
 * Orders headland loops and interior cells greedily by nearest entry (each cell is flown
 * back and forth from whichever corner is nearest), joining them with transit legs that the
 * router keeps on allowed ground. Returns spray and transit legs from the first spray point.
 */
export function orderRoute(loops: XY[][], cells: Array<Array<[XY, XY]>>, start: XY, router: TransitRouter): LocalLeg[] {
  const todo: Element[] = [
    ...loops.map((ring): Element => ({ kind: 'loop', ring })),
    ...cells.filter((c) => c.length > 0).map((passes): Element => ({ kind: 'cell', passes })),
  ];
  const legs: LocalLeg[] = [];
  let pos = start;
  let first = true;
  while (todo.length > 0) {
    let best: Entry | undefined, bestD = Infinity;
    for (const el of todo) for (const e of entriesOf(el, pos)) {
      const d = dist(pos, e.at);
      if (d < bestD) { bestD = d; best = e; }
    }
    todo.splice(todo.indexOf(best!.el), 1);
    for (const pts of sprayLegs(best!)) {
      if (!first && dist(pos, pts[0]!) > 1e-6) legs.push({ kind: 'transit', pts: router.route(pos, pts[0]!) });
      legs.push({ kind: 'spray', pts });
      pos = pts[pts.length - 1]!;
      first = false;
    }
  }
  return legs;
}
