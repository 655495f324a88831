import { seqDuplicatesTotal, seqGapsOpen, seqGapsTotal } from '../metrics.js';

/** Missing telemetry of one gateway boot: seq ranges [from, to], both inclusive. */
export interface SeqGap {
  from: number;
  to: number;
}

export interface BootSeqStats {
  bootId: string;
  firstSeq: number;
  lastSeq: number;
  received: number;
  duplicates: number;
  /** messages still missing in this boot */
  missing: number;
  gaps: SeqGap[];
  lastSeenAt: number;
}

export interface GatewaySeqStats {
  gatewayId: string;
  /** newest boot first */
  boots: BootSeqStats[];
}

const MAX_BOOTS = 3;
const MAX_GAPS = 256;

/**
 * Counts seq gaps and duplicates per gateway and bootId (the idea of Sparkplug B sequence
 * numbers). In memory, per cloud instance: what this instance has seen since it started.
 */
export class SeqTracker {
  private readonly gateways = new Map<string, Map<string, BootSeqStats>>();

  /** Records one telemetry message; returns what it was. */
  observe(gatewayId: string, bootId: string, seq: number, now: number): 'new' | 'duplicate' | 'late' {
    let boots = this.gateways.get(gatewayId);
    if (!boots) this.gateways.set(gatewayId, (boots = new Map<string, BootSeqStats>()));
    let b = boots.get(bootId);
    if (!b) {
      b = { bootId, firstSeq: seq, lastSeq: seq, received: 1, duplicates: 0, missing: 0, gaps: [], lastSeenAt: now };
      boots.set(bootId, b);
      this.trimBoots(boots);
      return 'new';
    }
    b.lastSeenAt = now;
    if (seq > b.lastSeq) {
      if (seq > b.lastSeq + 1) this.open(b, { from: b.lastSeq + 1, to: seq - 1 });
      b.lastSeq = seq;
      b.received++;
      return 'new';
    }
    if (this.fill(b, seq)) {
      b.received++;
      return 'late';
    }
    if (seq < b.firstSeq) {
      // older than anything seen since this instance started (a previous instance may have had
      // it); the seqs between it and the first one seen are now a gap like any other, so that
      // they count as late, not as duplicates, when they come
      if (seq < b.firstSeq - 1) this.open(b, { from: seq + 1, to: b.firstSeq - 1 });
      b.firstSeq = seq;
      b.received++;
      return 'late';
    }
    b.duplicates++;
    seqDuplicatesTotal.inc();
    return 'duplicate';
  }

  stats(gatewayId: string): GatewaySeqStats | undefined {
    const boots = this.gateways.get(gatewayId);
    if (!boots) return undefined;
    return {
      gatewayId,
      boots: [...boots.values()]
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
        .map((b) => ({ ...b, gaps: b.gaps.map((g) => ({ ...g })) })),
    };
  }

  all(): GatewaySeqStats[] {
    return [...this.gateways.keys()].map((g) => this.stats(g)!);
  }

  private open(b: BootSeqStats, gap: SeqGap): void {
    const size = gap.to - gap.from + 1;
    b.gaps.push(gap);
    b.missing += size;
    seqGapsTotal.inc(size);
    seqGapsOpen.inc(size);
    if (b.gaps.length > MAX_GAPS) {
      // keep memory bounded: the oldest gap is forgotten (still counted in the metrics)
      const old = b.gaps.shift()!;
      b.missing -= old.to - old.from + 1;
      seqGapsOpen.dec(old.to - old.from + 1);
    }
  }

  private fill(b: BootSeqStats, seq: number): boolean {
    const i = b.gaps.findIndex((g) => seq >= g.from && seq <= g.to);
    if (i < 0) return false;
    const g = b.gaps[i]!;
    const parts: SeqGap[] = [];
    if (g.from < seq) parts.push({ from: g.from, to: seq - 1 });
    if (seq < g.to) parts.push({ from: seq + 1, to: g.to });
    b.gaps.splice(i, 1, ...parts);
    b.missing--;
    seqGapsOpen.dec();
    return true;
  }

  private trimBoots(boots: Map<string, BootSeqStats>): void {
    while (boots.size > MAX_BOOTS) {
      const oldest = [...boots.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0]!;
      seqGapsOpen.dec(oldest.missing);
      boots.delete(oldest.bootId);
    }
  }
}
