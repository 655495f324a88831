import { Point } from '@influxdata/influxdb-client';
import type { StoredReading } from '../store.js';

/**
 * InfluxDB schema: measurement `reading`, tags gateway/sensor/metric, timestamp in ms — so the
 * point's identity is (gateway, sensor, metric, ts) and a rewrite overwrites it. A good reading's
 * value goes to field `value` (what aggregates read); a bad one's to `raw`, so faults never
 * pollute means without a filter on a non-tag column.
 */
export const MEASUREMENT = 'reading';

export function toLine(p: StoredReading): string {
  const point = new Point(MEASUREMENT)
    .tag('gateway', p.gatewayId)
    .tag('metric', p.metric)
    .tag('sensor', p.sensor)
    .stringField('unit', p.unit)
    .stringField('quality', p.quality ?? 'good')
    .timestamp(p.ts);
  if (p.value !== null) {
    if ((p.quality ?? 'good') === 'good') point.floatField('value', p.value);
    else point.floatField('raw', p.value);
  }
  if (p.fault) point.stringField('fault', p.fault);
  return point.toLineProtocol() as string;
}

export function toLines(points: StoredReading[]): string {
  return points.map(toLine).join('\n');
}

/** An InfluxQL single-quoted string literal. */
export function influxqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Flux double-quoted string literal. */
export function fluxString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}
