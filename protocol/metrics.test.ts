import { describe, expect, it } from 'vitest';
import { acceptedUnits, metricInfo } from './metrics.js';

describe('metric lookup', () => {
  it('knows the platform metrics and their units', () => {
    expect(metricInfo('salinity')).toBeDefined();
    expect(acceptedUnits('salinity')?.[0]).toBe(metricInfo('salinity')!.unit);
  });

  it("takes no object property for a metric: 'constructor', '__proto__', 'toString' are unknown", () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(metricInfo(name)).toBeUndefined();
      expect(acceptedUnits(name)).toBeUndefined();
    }
  });
});
