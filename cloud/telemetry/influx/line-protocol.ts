import { Point } from '@influxdata/influxdb-client';
import type { StoredReading } from '../store.js';

/**
 * InfluxDB schema: measurement `reading`, tags gateway/sensor/metric, timestamp in ms — so the
 * point's identity is (gateway, sensor, metric, ts) and a rewrite overwrites it. A good reading's
 * value goes to field `value` (what aggregates read); a bad one's to `raw`, so faults never
 * pollute means without a filter on a non-tag column.
 */
export const MEASUREMENT = 'reading';

/** The same point through the client library's Point (the reference toLine is checked against). */
export function toLineWithPoint(p: StoredReading): string {
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

// line protocol escaping: tag values escape comma, equals sign and space; string field values
// escape double quote and backslash (the same rules Point applies)
const tagEsc = (v: string) =>
  /[,= \n\r\t]/.test(v)
    ? v
        .replace(/([,= ])/g, '\\$1')
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')
        .replace(/\t/g, '\\t')
    : v;
const strEsc = (v: string) => (/["\\]/.test(v) ? v.replace(/(["\\])/g, '\\$1') : v);

/**
 * One reading as a line, fields in Point's (sorted) order. Point allocates an object per point
 * and costs about a fifth of the ingest's CPU at 100k readings/s; this template is several
 * times faster and a unit test holds it byte-identical to Point's output.
 */
export function toLine(p: StoredReading): string {
  const quality = p.quality ?? 'good';
  let fields = p.fault ? `fault="${strEsc(p.fault)}",quality="${quality}"` : `quality="${quality}"`;
  if (p.value !== null && quality !== 'good') fields += `,raw=${p.value}`;
  fields += `,unit="${strEsc(p.unit)}"`;
  if (p.value !== null && quality === 'good') fields += `,value=${p.value}`;
  return `${MEASUREMENT},gateway=${tagEsc(p.gatewayId)},metric=${tagEsc(p.metric)},sensor=${tagEsc(p.sensor)} ${fields} ${p.ts}`;
}

export function toLines(points: StoredReading[]): string {
  return points.map(toLine).join('\n');
}

/**
 * An InfluxQL single-quoted string literal. The client library has helpers for Flux only (its
 * `flux` template, used by influx-v2.ts), none for InfluxQL: backslash and single quote are
 * the two characters to escape.
 */
export function influxqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
