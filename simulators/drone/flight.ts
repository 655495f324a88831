import type { AppliedSample } from '../../cloud/missions/verify.js';
import type { FlightRoute } from '../../cloud/missions/flight-route.js';
import { LocalFrame, type XY } from '../../cloud/missions/geo/local-frame.js';

export interface FlightOptions {
  /** ms since epoch of take-off */
  startTs: number;
  seed?: number;
  sampleHz?: number;
  /** σ of the GNSS position error, m (RTK float ≈ 0.1, plain GNSS ≈ 1) */
  gpsNoiseM?: number;
  windMps?: number;
  /** where the wind blows from, ° clockwise from north */
  windFromDeg?: number;
  /** σ of the pump flow around the nominal, as a share */
  flowJitter?: number;
  /** tank capacity, L (default: the route's); each sortie takes off with what it needs plus 5 %, never above it */
  tankL?: number;
  /** ground time between sorties: land, refill, swap the battery (default 300 s) */
  refillS?: number;
  /** nozzles blocked for this stretch of a sortie: the test of a gap in the as-applied log */
  nozzleFailure?: { sortie: number; fromS: number; toS: number };
}

export interface SortieLog {
  sortie: number;
  /** `sections` on a sample: the open nozzle sections of a sectional boom (absent: the whole swath) */
  samples: AppliedSample[];
}

/** mulberry32 + Box–Muller: reproducible noise for a given seed. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uni = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni());
}

interface Seg {
  a: XY;
  b: XY;
  len: number;
  spray: boolean;
  sections?: boolean[];
}

function segmentsOf(route: FlightRoute, frame: LocalFrame, sortie: number): Seg[] {
  const segs: Seg[] = [];
  for (const leg of route.legs.filter((l) => l.sortie === sortie)) {
    const pts = leg.coordinates.map((c) => frame.toLocal(c));
    for (let i = 1; i < pts.length; i++) {
      const len = Math.hypot(pts[i]![0] - pts[i - 1]![0], pts[i]![1] - pts[i - 1]![1]);
      if (len > 1e-6)
        segs.push({
          a: pts[i - 1]!,
          b: pts[i]!,
          len,
          spray: leg.spray,
          ...(leg.sections ? { sections: leg.sections } : {}),
        });
    }
  }
  return segs;
}

/**
 * Flies a route in simulated time and returns the as-applied log per sortie: the drone follows
 * each leg at the route speed; GNSS error is a slowly wandering offset (first-order Gauss–Markov,
 * as real receivers drift rather than jump), wind pushes the track a little downwind, the pump
 * flow wobbles around the nominal. Pure and deterministic for a seed.
 */
export function simulateFlight(route: FlightRoute, opts: FlightOptions): SortieLog[] {
  const frame = new LocalFrame(route.home);
  const rnd = gaussian(opts.seed ?? 1);
  const hz = opts.sampleHz ?? 2;
  const dt = 1 / hz;
  const sigma = opts.gpsNoiseM ?? 0.1;
  const wind = opts.windMps ?? 0;
  const from = ((opts.windFromDeg ?? 0) * Math.PI) / 180;
  // the autopilot holds the line against the wind; a few cm per m/s stay downwind
  const drift: XY = [-Math.sin(from) * wind * 0.03, -Math.cos(from) * wind * 0.03];
  const jitter = opts.flowJitter ?? 0.03;
  const sorties = [...new Set(route.legs.map((l) => l.sortie))].sort((a, b) => a - b);
  const out: SortieLog[] = [];
  let t0 = opts.startTs;
  for (const sortie of sorties) {
    const segs = segmentsOf(route, frame, sortie);
    // closed sections pump nothing: the flow is the open share of the nominal
    const share = (g: Seg) => (g.sections ? g.sections.filter(Boolean).length / g.sections.length : 1);
    const sprayM = segs.filter((s) => s.spray).reduce((s, g) => s + g.len * share(g), 0);
    const capacity = opts.tankL ?? route.tankL ?? Infinity;
    let tank = Math.min(capacity, (route.flowLpm / 60) * (sprayM / route.speedMps) * 1.05);
    const samples: AppliedSample[] = [];
    const total = segs.reduce((s, g) => s + g.len, 0);
    let noise: XY = [0, 0];
    const k = Math.exp(-dt / 30); // 30 s correlation time
    let si = 0,
      segStart = 0;
    for (let t = 0; ; t += dt) {
      const d = Math.min(t * route.speedMps, total);
      while (si < segs.length - 1 && segStart + segs[si]!.len < d) {
        segStart += segs[si]!.len;
        si++;
      }
      const seg = segs[si]!;
      const f = Math.min(1, (d - segStart) / seg.len);
      noise = [
        k * noise[0] + Math.sqrt(1 - k * k) * sigma * rnd(),
        k * noise[1] + Math.sqrt(1 - k * k) * sigma * rnd(),
      ];
      const p: XY = [
        seg.a[0] + f * (seg.b[0] - seg.a[0]) + noise[0] + drift[0],
        seg.a[1] + f * (seg.b[1] - seg.a[1]) + noise[1] + drift[1],
      ];
      const failed =
        opts.nozzleFailure?.sortie === sortie && t >= opts.nozzleFailure.fromS && t < opts.nozzleFailure.toS;
      const spraying = seg.spray && d < total && tank > 0 && !failed;
      const flow = spraying ? Math.max(0, route.flowLpm * share(seg) * (1 + jitter * rnd())) : 0;
      const [lon, lat] = frame.toLonLat(p);
      samples.push({
        ts: Math.round(t0 + t * 1000),
        lat,
        lon,
        alt: round1(route.altitudeM + 0.1 * rnd()),
        speed: d < total ? round1(Math.max(0, route.speedMps * (1 + 0.02 * rnd()))) : 0,
        flowLpm: round2(flow),
        spraying,
        tankL: round2(Math.max(0, tank)),
        swathM: route.swathM,
        ...(spraying && seg.sections ? { sections: seg.sections } : {}),
      });
      tank -= (flow / 60) * dt;
      if (d >= total) break;
    }
    out.push({ sortie, samples });
    t0 = samples.at(-1)!.ts + (opts.refillS ?? 300) * 1000;
  }
  return out;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;
