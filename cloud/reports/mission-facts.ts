import type { Plan } from '../missions/types.js';
import type { VerificationReport } from '../missions/verify.js';
import type { MissionFact } from './facts.js';

/**
 * The report fact of a mission once flown. Sprayed area and litres come from the as-applied
 * verification when there is one (sprayable area that got at least half the dose; litres the
 * drone's flow log measured), else from the plan (sprayable area × coverage; planned litres).
 */
export function missionFlownFact(m: {
  missionId: string;
  farmId: string;
  flownAt: number;
  plan: Pick<Plan, 'metrics'>;
  verification?: Pick<VerificationReport, 'sprayableM2' | 'missedM2' | 'litresUsed'> | undefined;
}): MissionFact {
  const v = m.verification;
  const areaHa = v
    ? Math.max(0, v.sprayableM2 - v.missedM2) / 10_000
    : m.plan.metrics.sprayableAreaHa * m.plan.metrics.coverage;
  const litres = v ? v.litresUsed : m.plan.metrics.litres;
  return { missionId: m.missionId, farmId: m.farmId, flownAt: m.flownAt, areaHa, litres };
}
