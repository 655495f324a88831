import { vi } from 'vitest';

/**
 * Vitest's vi.waitFor until fn gives something truthy; on time-out it fails naming what it
 * waited for and the last error fn threw. Works beside fake timers (vi.waitFor keeps real ones).
 */
export function until<T>(
  what: string,
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  let last: unknown;
  return vi
    .waitFor(
      async () => {
        let v: T | undefined | null | false;
        try {
          v = await fn();
        } catch (err) {
          last = err;
          throw err;
        }
        if (!v)
          throw new Error(
            `timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
          );
        return v;
      },
      { timeout: timeoutMs, interval: everyMs },
    )
    .catch((err: unknown) => {
      throw err instanceof Error && !err.message.startsWith('timed out')
        ? new Error(`timed out waiting for ${what}: ${err.message}`, { cause: err })
        : err;
    });
}
