import type {
  LatestReading,
  Series,
  StoreHealth,
  StoredReading,
  TelemetryStore,
  WriteResult,
} from '../../cloud/telemetry/store.js';
import { StoreError } from '../../cloud/telemetry/store.js';

/**
 * A telemetry store for the fault tests that keeps every point by its identity
 * (gateway, sensor, metric, ts) and how often it was written, so a test can reconcile what a
 * gateway produced with what was stored. `down = true` makes it refuse writes like a dead store.
 */
export class RecordingStore implements TelemetryStore {
  readonly kind = 'sqlite' as const;
  readonly points = new Map<string, { value: number | null; writes: number }>();
  down = false;

  static key(gatewayId: string, sensor: string, metric: string, ts: number): string {
    return `${gatewayId}|${sensor}|${metric}|${ts}`;
  }

  async init(): Promise<void> {}
  async write(points: StoredReading[]): Promise<WriteResult> {
    if (this.down) throw new StoreError('STORE_UNAVAILABLE', 'recording store is down');
    for (const p of points) {
      const k = RecordingStore.key(p.gatewayId, p.sensor, p.metric, p.ts);
      const prev = this.points.get(k);
      this.points.set(k, { value: p.value, writes: (prev?.writes ?? 0) + 1 });
    }
    return { written: points.length, rejected: 0 };
  }
  async query(): Promise<Series[]> {
    return [];
  }
  async latest(): Promise<LatestReading[]> {
    return [];
  }
  async health(): Promise<StoreHealth> {
    return this.down ? { ok: false, kind: 'recording', detail: 'down' } : { ok: true, kind: 'recording' };
  }
  async close(): Promise<void> {}

  /** Points of one gateway stored (distinct identities). */
  count(gatewayId: string): number {
    let n = 0;
    for (const k of this.points.keys()) if (k.startsWith(`${gatewayId}|`)) n++;
    return n;
  }
}

/** Produced keys vs stored: missing = produced but not stored; doubled = stored keys not produced. */
export function reconcile(
  produced: Iterable<string>,
  stored: Set<string> | Map<string, unknown>,
): { produced: number; stored: number; missing: number; doubled: number } {
  let n = 0;
  let missing = 0;
  const want = new Set<string>();
  for (const k of produced) {
    n++;
    want.add(k);
    if (!stored.has(k)) missing++;
  }
  let extra = 0;
  for (const k of stored.keys()) if (!want.has(k)) extra++;
  return { produced: n, stored: n - missing, missing, doubled: extra + (n - want.size) };
}
