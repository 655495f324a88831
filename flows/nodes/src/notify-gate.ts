/**
 * De-duplication and rate limiting of notifications: the same key (gateway + kind + …) passes
 * once per dedup window; each recipient key gets at most `rateMax` per `rateWindowMs`.
 * Pure: the caller passes `now`, so tests step time instead of sleeping.
 */
export interface NotifyGateOptions {
  dedupWindowMs: number;
  rateMax: number;
  rateWindowMs: number;
}

export type GateVerdict = { pass: true } | { pass: false; reason: 'duplicate' | 'rate_limited' };

export class NotifyGate {
  private readonly lastByKey = new Map<string, number>();
  private readonly sentByRecipient = new Map<string, number[]>();

  constructor(private readonly opts: NotifyGateOptions) {}

  check(key: string, recipientKey: string, now: number): GateVerdict {
    this.prune(now);
    const last = this.lastByKey.get(key);
    if (last !== undefined && now - last < this.opts.dedupWindowMs) return { pass: false, reason: 'duplicate' };
    const sent = this.sentByRecipient.get(recipientKey) ?? [];
    if (sent.length >= this.opts.rateMax) return { pass: false, reason: 'rate_limited' };
    this.lastByKey.set(key, now);
    sent.push(now);
    this.sentByRecipient.set(recipientKey, sent);
    return { pass: true };
  }

  /** Forget old entries so memory stays bounded by what happened within the windows. */
  private prune(now: number): void {
    for (const [k, t] of this.lastByKey) if (now - t >= this.opts.dedupWindowMs) this.lastByKey.delete(k);
    for (const [k, list] of this.sentByRecipient) {
      const kept = list.filter((t) => now - t < this.opts.rateWindowMs);
      if (kept.length) this.sentByRecipient.set(k, kept);
      else this.sentByRecipient.delete(k);
    }
  }
}
