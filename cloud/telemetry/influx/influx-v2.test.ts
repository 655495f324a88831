import { describe, expect, it } from 'vitest';
import { InfluxV2 } from './influx-v2.js';

const v2 = new InfluxV2({ url: 'http://127.0.0.1:1', token: 't', org: 'o', bucket: 'b"\\${x}' });

describe('InfluxV2 Flux text', () => {
  it('writes every value as an escaped Flux string: quotes, backslashes and ${ cannot end it or interpolate', () => {
    const hostile = 'gw"1\\ ${now()}';
    const q = v2.rangeFlux({ gatewayId: hostile, metric: 'm"', sensor: '${s}', from: 0, to: 60_000 });
    expect(q).toContain('from(bucket: "b\\"\\\\\\${x}")');
    expect(q).toContain('r.gateway == "gw\\"1\\\\ \\${now()}"');
    expect(q).toContain('r.metric == "m\\""');
    expect(q).toContain('r.sensor == "\\${s}"');
    expect(q).toContain('range(start: 1970-01-01T00:00:00.000Z, stop: 1970-01-01T00:01:00.000Z)');
  });

  it('asks for the newest point per series of one gateway', () => {
    expect(v2.latestFlux('gw-1')).toBe(
      'from(bucket: "b\\"\\\\\\${x}")\n  |> range(start: 0)\n' +
        '  |> filter(fn: (r) => r._measurement == "reading" and r.gateway == "gw-1")\n' +
        '  |> last()\n  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")',
    );
  });
});
