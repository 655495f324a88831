import type { MultiPolygon } from 'geojson';
import { cellsBetween, toWgs84 } from './dose-areas.js';
import type { CompactGrid } from './verify.js';

/** What the cooperative accepts as a job done; below it the field needs a respray. */
export interface VerifyThresholds {
  /** least share of the sprayable area within ± tolerance of the target rate (default 0.85: a full simulated flight with RTK-float GNSS scores 0.89–0.96, the plan's own overlaps included) */
  minInTolerance: number;
  /** most share of the sprayable area that may stay missed, under half the target (default 0.02) */
  maxMissedShare: number;
}
export const DEFAULT_VERIFY_THRESHOLDS: VerifyThresholds = { minInTolerance: 0.85, maxMissedShare: 0.02 };

export interface VerifyFinding {
  code: 'VERIFY_IN_TOLERANCE_LOW' | 'VERIFY_MISSED_AREA' | 'VERIFY_LITRES_SHORT';
  params: Record<string, number>;
}

export interface Verdict {
  verdict: 'pass' | 'respray';
  findings: VerifyFinding[];
  thresholds: VerifyThresholds;
  /** sprayable ground under half the target rate (WGS84) */
  missed: MultiPolygon;
  /** sprayable ground between half the target and the tolerance's lower edge (WGS84) */
  underDosed: MultiPolygon;
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * Pass or respray by the cooperative's thresholds, with the places to respray as polygons.
 * Litres short of the plan by more than the tolerance is a finding too: the log may be missing a
 * sortie, which the dose map alone shows as missed ground.
 */
export function verdictOf(
  m: {
    grid: CompactGrid;
    rate: number;
    tol: number;
    inTolerance: number;
    missedM2: number;
    sprayableM2: number;
    litresUsed: number;
    litresPlanned: number | null;
  },
  t: VerifyThresholds,
): Verdict {
  const findings: VerifyFinding[] = [];
  const missedShare = m.sprayableM2 > 0 ? m.missedM2 / m.sprayableM2 : 1;
  if (m.inTolerance < t.minInTolerance)
    findings.push({
      code: 'VERIFY_IN_TOLERANCE_LOW',
      params: { inTolerance: r4(m.inTolerance), minInTolerance: t.minInTolerance },
    });
  if (missedShare > t.maxMissedShare)
    findings.push({
      code: 'VERIFY_MISSED_AREA',
      params: { missedM2: Math.round(m.missedM2), missedShare: r4(missedShare), maxMissedShare: t.maxMissedShare },
    });
  if (m.litresPlanned && m.litresUsed < m.litresPlanned * (1 - m.tol)) {
    findings.push({
      code: 'VERIFY_LITRES_SHORT',
      params: { litresUsed: m.litresUsed, litresPlanned: m.litresPlanned },
    });
  }
  const missed = cellsBetween(m.grid, -Infinity, 0.5 * m.rate);
  const under = cellsBetween(m.grid, 0.5 * m.rate, (1 - m.tol) * m.rate);
  return {
    verdict: findings.length ? 'respray' : 'pass',
    findings,
    thresholds: t,
    missed: toWgs84(missed, m.grid.origin),
    underDosed: toWgs84(under, m.grid.origin),
  };
}
