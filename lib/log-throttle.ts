/**
 * Logs a repeated condition once per interval with how many times it happened, instead of once
 * per occurrence (a broker that is down makes mqtt.js report an error on every attempt).
 */
export class LogThrottle {
  private readonly last = new Map<string, { at: number; count: number }>();

  constructor(
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls `emit(countSinceLast)` for the first occurrence of `key` in each interval. */
  hit(key: string, emit: (repeated: number) => void): void {
    const t = this.now();
    const seen = this.last.get(key);
    if (seen && t - seen.at < this.intervalMs) {
      seen.count++;
      return;
    }
    if (this.last.size > 1000) this.last.clear();
    this.last.set(key, { at: t, count: 0 });
    emit(seen?.count ?? 0);
  }

  /** Forgets a key (the condition ended), so its next occurrence logs at once. */
  clear(key: string): void {
    this.last.delete(key);
  }
}
