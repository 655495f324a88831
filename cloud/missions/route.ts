import type { XY } from './geo/local-frame.js';
import { unrotate } from './geo/scanline.js';
import type { Cell } from './passes.js';
import type { TransitRouter } from './router.js';

export type LegKind = 'spray' | 'transit' | 'ferry';
/** A leg in the local frame; `sortie` is filled in by the sortie splitter. */
export interface LocalLeg {
  kind: LegKind;
  pts: XY[];
  sortie?: number;
}

/** A pass in the local frame: its two ends, and the stretches flown with nozzles on. */
export interface LocalPass {
  ends: [XY, XY];
  runs: Array<[XY, XY]>;
}

type Element = { kind: 'loop'; ring: XY[] } | { kind: 'cell'; passes: LocalPass[] };

const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Cell passes back in the local frame, as [west-ish end, east-ish end] of the aligned frame. */
export function cellsToLocal(cells: Cell[], cos: number, sin: number): LocalPass[][] {
  const at = (x: number, y: number) => unrotate([x, y], cos, sin);
  return cells.map((c) =>
    c.map((p) => {
      const runs = p.runs ?? [[p.x0, p.x1]];
      // a pass is flown from its first to its last spray: beyond them is covered headland
      return {
        ends: [at(runs[0]![0], p.y), at(runs.at(-1)![1], p.y)],
        runs: runs.map(([a, b]) => [at(a, p.y), at(b, p.y)] as [XY, XY]),
      };
    }),
  );
}

interface Entry {
  el: Element;
  at: XY;
  reverse: boolean;
  startRight: boolean;
  vertex: number;
}

function entriesOf(el: Element, from: XY): Entry[] {
  if (el.kind === 'loop') {
    let vertex = 0,
      best = Infinity;
    for (let i = 0; i < el.ring.length - 1; i++) {
      const d = dist(from, el.ring[i]!);
      if (d < best) {
        best = d;
        vertex = i;
      }
    }
    return [{ el, at: el.ring[vertex]!, reverse: false, startRight: false, vertex }];
  }
  const first = el.passes[0]!.ends,
    last = el.passes[el.passes.length - 1]!.ends;
  return [
    { el, at: first[0], reverse: false, startRight: false, vertex: 0 },
    { el, at: first[1], reverse: false, startRight: true, vertex: 0 },
    { el, at: last[0], reverse: true, startRight: false, vertex: 0 },
    { el, at: last[1], reverse: true, startRight: true, vertex: 0 },
  ];
}

/**
 * Legs of one element, entered as chosen; passes alternate direction (boustrophedon). Within a
 * pass the nozzles go off over covered headland: those stretches are flown straight, as transit.
 */
function elementLegs(e: Entry): LocalLeg[] {
  if (e.el.kind === 'loop') {
    const open = e.el.ring.slice(0, -1);
    const rot = [...open.slice(e.vertex), ...open.slice(0, e.vertex)];
    return [{ kind: 'spray', pts: [...rot, rot[0]!] }];
  }
  const passes = e.reverse ? e.el.passes.slice().reverse() : e.el.passes;
  return passes.flatMap((p, i) => {
    const forward = (i % 2 === 0) !== e.startRight;
    const runs = forward
      ? p.runs
      : p.runs
          .slice()
          .reverse()
          .map(([a, b]) => [b, a] as [XY, XY]);
    return runs.flatMap(([a, b], k): LocalLeg[] => [
      ...(k > 0 ? [{ kind: 'transit' as const, pts: [runs[k - 1]![1], a] }] : []),
      { kind: 'spray', pts: [a, b] },
    ]);
  });
}

/**
 * Orders headland loops and interior cells greedily by nearest entry (each cell is flown
 * back and forth from whichever corner is nearest), joining them with transit legs that the
 * router keeps on allowed ground. Returns spray and transit legs from the first spray point.
 */
export function orderRoute(loops: XY[][], cells: LocalPass[][], start: XY, router: TransitRouter): LocalLeg[] {
  const todo: Element[] = [
    ...loops.map((ring): Element => ({ kind: 'loop', ring })),
    ...cells.filter((c) => c.length > 0).map((passes): Element => ({ kind: 'cell', passes })),
  ];
  const legs: LocalLeg[] = [];
  let pos = start;
  let first = true;
  while (todo.length > 0) {
    let best: Entry | undefined,
      bestD = Infinity;
    for (const el of todo)
      for (const e of entriesOf(el, pos)) {
        const d = dist(pos, e.at);
        if (d < bestD) {
          bestD = d;
          best = e;
        }
      }
    todo.splice(todo.indexOf(best!.el), 1);
    for (const leg of elementLegs(best!)) {
      if (leg.kind === 'spray' && !first && dist(pos, leg.pts[0]!) > 1e-6)
        legs.push({ kind: 'transit', pts: router.route(pos, leg.pts[0]!) });
      legs.push(leg);
      pos = leg.pts[leg.pts.length - 1]!;
      first = false;
    }
  }
  return legs;
}
