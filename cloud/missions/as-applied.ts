import type { AsAppliedSample, DroneTelemetry } from '../../protocol/index.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import type { IngestSink } from '../ingest/sink.js';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';

/**
 * The as-applied log in the telemetry store. One drone message becomes points keyed
 *   gatewayId = `drone:<droneId>` (a colon never appears in a gateway id, so no clash),
 *   sensor    = the mission id (`unassigned` when the drone sent none),
 *   metric    = lat | lon | alt | speed | flow_lpm | spraying (1/0) | tank_l | swath_m | sortie
 *               | sections (a sectional boom's open sections: count × 256 + bit i for section i open),
 *   ts        = the sample's own time,
 * so a replayed message overwrites the same points (the store's identity is gateway, sensor,
 * metric, ts) and both adapters (SQLite, InfluxDB) keep it without knowing about drones.
 */
export const DRONE_PREFIX = 'drone:';
export const UNASSIGNED = 'unassigned';
export const droneLogKey = (droneId: string) => `${DRONE_PREFIX}${droneId}`;

const METRICS: Array<{ metric: string; unit: string; value: (s: AsAppliedSample) => number | undefined }> = [
  { metric: 'lat', unit: 'deg', value: (s) => s.lat },
  { metric: 'lon', unit: 'deg', value: (s) => s.lon },
  { metric: 'alt', unit: 'm', value: (s) => s.alt },
  { metric: 'speed', unit: 'm/s', value: (s) => s.speed },
  { metric: 'flow_lpm', unit: 'L/min', value: (s) => s.flowLpm },
  { metric: 'spraying', unit: 'bool', value: (s) => (s.spraying ? 1 : 0) },
  { metric: 'tank_l', unit: 'L', value: (s) => s.tankL },
  { metric: 'swath_m', unit: 'm', value: (s) => s.swathM },
  { metric: 'sections', unit: '', value: (s) => (s.sections ? encodeSections(s.sections) : undefined) },
];

/** Open sections as one number: count × 256 + bit i set when section i is open (at most 8). */
export function encodeSections(sections: readonly boolean[]): number {
  let mask = 0;
  sections.forEach((open, i) => {
    if (open) mask |= 1 << i;
  });
  return sections.length * 256 + mask;
}

/** The inverse of encodeSections; undefined for a value no encoding gives. */
export function decodeSections(value: number): boolean[] | undefined {
  const count = Math.floor(value / 256);
  const mask = value - count * 256;
  if (!Number.isInteger(value) || count < 1 || count > 8 || mask >= 1 << count) return undefined;
  return Array.from({ length: count }, (_, i) => (mask & (1 << i)) !== 0);
}

export function asAppliedPoints(droneId: string, msg: DroneTelemetry): StoredReading[] {
  const gatewayId = droneLogKey(droneId);
  const sensor = msg.missionId ?? UNASSIGNED;
  const out: StoredReading[] = [];
  for (const s of msg.samples) {
    for (const m of METRICS) {
      const value = m.value(s);
      if (value !== undefined)
        out.push({ gatewayId, sensor, metric: m.metric, value, unit: m.unit, ts: s.ts, quality: 'good' });
    }
    if (msg.sortie !== undefined)
      out.push({ gatewayId, sensor, metric: 'sortie', value: msg.sortie, unit: '', ts: s.ts, quality: 'good' });
  }
  return out;
}

/** Writes each drone message's samples to the store; a store outage throws so the message is not acked. */
export class AsAppliedRecorder {
  private readonly log: Logger;
  constructor(
    private readonly store: TelemetryStore,
    opts: { log?: Logger } = {},
  ) {
    this.log = (opts.log ?? rootLog).child({ mod: 'as-applied' });
  }

  async record(droneId: string, msg: DroneTelemetry): Promise<void> {
    const res = await this.store.write(asAppliedPoints(droneId, msg));
    if (res.rejected)
      this.log.warn(
        { droneId, missionId: msg.missionId, seq: msg.seq, rejected: res.rejected, detail: res.rejectedDetail },
        'as-applied points refused by the store',
      );
  }
}

/**
 * Wraps the cloud's ingest sink so drone messages land in the telemetry store; everything else
 * goes to `base` unchanged (and a base that hears drones too still does, after the write).
 * `onRecorded` hears each message once stored (must not throw).
 */
export function withAsAppliedLog(
  base: IngestSink,
  store: TelemetryStore,
  opts: { log?: Logger; onRecorded?: (droneId: string, msg: DroneTelemetry) => void } = {},
): IngestSink {
  const recorder = new AsAppliedRecorder(store, opts);
  return {
    onState: (g, s, ts) => base.onState(g, s, ts),
    onTelemetry: (g, info) => base.onTelemetry(g, info),
    onEvent: (g, e) => base.onEvent(g, e),
    onConfigAck: (g, a) => base.onConfigAck(g, a),
    onCmdAck: (g, a) => base.onCmdAck(g, a),
    onDroneTelemetry: async (droneId, msg) => {
      await recorder.record(droneId, msg);
      // e.g. the live mission feed's `progress`: told only once the samples are stored
      opts.onRecorded?.(droneId, msg);
      await base.onDroneTelemetry?.(droneId, msg);
    },
  };
}

export interface AsAppliedQuery {
  droneId: string;
  missionId: string;
  from: number;
  to: number;
}

/**
 * Rebuilds the as-applied samples of one mission flown by one drone from raw store points,
 * joined on their timestamps; a sample missing a position or flow is dropped (a partial write).
 */
export async function loadAsApplied(store: TelemetryStore, q: AsAppliedQuery): Promise<AsAppliedSample[]> {
  const series = await store.query({ gatewayId: droneLogKey(q.droneId), sensor: q.missionId, from: q.from, to: q.to });
  const byTs = new Map<number, Record<string, number>>();
  for (const s of series) {
    for (const p of s.points) {
      if (p.mean === null) continue;
      let row = byTs.get(p.ts);
      if (!row) byTs.set(p.ts, (row = {}));
      row[s.metric] = p.mean;
    }
  }
  const out: AsAppliedSample[] = [];
  for (const [ts, r] of [...byTs.entries()].sort((a, b) => a[0] - b[0])) {
    if (r.lat === undefined || r.lon === undefined || r.flow_lpm === undefined) continue;
    const s: AsAppliedSample = {
      ts,
      lat: r.lat,
      lon: r.lon,
      alt: r.alt ?? 0,
      speed: r.speed ?? 0,
      flowLpm: r.flow_lpm,
      spraying: (r.spraying ?? 0) >= 0.5,
      tankL: r.tank_l ?? 0,
    };
    if (r.swath_m !== undefined) s.swathM = r.swath_m;
    const sections = r.sections === undefined ? undefined : decodeSections(r.sections);
    if (sections) s.sections = sections;
    out.push(s);
  }
  return out;
}
