import { describe, expect, it } from 'vitest';
import { until } from './wait.js';

describe('until', () => {
  it('gives the first truthy value the function returns', async () => {
    let n = 0;
    expect(await until('three calls', () => (++n >= 3 ? n : false), 2_000, 5)).toBe(3);
  });

  it('fails naming what it waited for and the last error', async () => {
    await expect(
      until(
        'the door to open',
        () => {
          throw new Error('door jammed');
        },
        100,
        10,
      ),
    ).rejects.toThrow(/the door to open: door jammed/);
    await expect(until('a value', () => null, 100, 10)).rejects.toThrow(/timed out waiting for a value/);
  });
});
