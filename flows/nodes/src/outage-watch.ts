/**
 * Watches gateway states (retained birth / last will) and reports a gateway that stays offline
 * longer than `offlineMs`: once per outage, and its recovery only when the outage was reported.
 * Timers are injected so tests can run time forward.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutageWatchOptions {
  offlineMs: number;
  now: () => number;
  timers?: Timers;
  onOffline: (gatewayId: string, since: number) => void;
  onRecovered: (gatewayId: string, since: number) => void;
}

interface Outage {
  since: number;
  timer: unknown;
  reported: boolean;
}

export class OutageWatch {
  private readonly outages = new Map<string, Outage>();
  private readonly timers: Timers;

  constructor(private readonly opts: OutageWatchOptions) {
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
  }

  /** `since` is when the gateway went offline, when known (state ts), else now. */
  update(gatewayId: string, online: boolean, since?: number): void {
    const current = this.outages.get(gatewayId);
    if (online) {
      if (!current) return;
      this.timers.clearTimeout(current.timer);
      this.outages.delete(gatewayId);
      if (current.reported) this.opts.onRecovered(gatewayId, current.since);
      return;
    }
    if (current) return; // the same outage: a repeated last will is not a new one
    const start = Math.min(since ?? this.opts.now(), this.opts.now());
    const outage: Outage = { since: start, timer: undefined, reported: false };
    const wait = Math.max(0, start + this.opts.offlineMs - this.opts.now());
    outage.timer = this.timers.setTimeout(() => {
      outage.reported = true;
      this.opts.onOffline(gatewayId, start);
    }, wait);
    this.outages.set(gatewayId, outage);
  }

  offline(): string[] {
    return [...this.outages.keys()];
  }

  stop(): void {
    for (const o of this.outages.values()) this.timers.clearTimeout(o.timer);
    this.outages.clear();
  }
}
