import { fmtNumber, t, type MsgKey } from '../i18n.js';

/** The report figures of a verified mission, as GET /api/v1/missions/:id/verification returns them. */
export interface ReportFigures {
  targetLPerHa: number;
  cellM: number;
  sprayableM2: number;
  /** share (0…1) of the sprayable area within ± tolerance of the target rate */
  inTolerance: number;
  missedM2: number;
  underM2: number;
  overM2: number;
  oversprayM2: number;
  litresUsed: number;
  litresPlanned: number | null;
  samples: number;
}

export type RateClass = 'none' | 'missed' | 'under' | 'ok' | 'over' | 'overspray';

/** Classes match the server's report: missed < half the target, ok within ± tolerance, overspray = off-field > 10 %. */
export function rateClass(appliedLPerHa: number, targetLPerHa: number, inside: boolean, tolerance = 0.2): RateClass {
  const r = targetLPerHa > 0 ? appliedLPerHa / targetLPerHa : 0;
  if (!inside) return r > 0.1 ? 'overspray' : 'none';
  if (r < 0.5) return 'missed';
  if (r < 1 - tolerance) return 'under';
  if (r <= 1 + tolerance) return 'ok';
  return 'over';
}

// colour-blind-safe enough: red / orange / green / purple, overspray magenta
export const RATE_COLOURS: Record<RateClass, string> = {
  none: 'transparent',
  missed: '#c0392b',
  under: '#e67e22',
  ok: '#27ae60',
  over: '#6c3483',
  overspray: '#d81b60',
};

export function rateStyle(
  appliedLPerHa: number,
  targetLPerHa: number,
  inside: boolean,
): { color: string; fillColor: string; fillOpacity: number; weight: number; stroke: boolean } {
  const c = rateClass(appliedLPerHa, targetLPerHa, inside);
  return {
    color: RATE_COLOURS[c],
    fillColor: RATE_COLOURS[c],
    fillOpacity: c === 'none' ? 0 : 0.6,
    weight: 0,
    stroke: false,
  };
}

const ha = (m2: number) => `${fmtNumber(m2 / 10_000, 2)} ha`;

/** Label / value rows for the report panel, formatted in the current locale. */
export function reportRows(r: ReportFigures): Array<{ key: MsgKey; label: string; value: string }> {
  const rows: Array<[MsgKey, string]> = [
    ['inTolerance', `${fmtNumber(r.inTolerance * 100, 1)} %`],
    ['missedArea', `${ha(r.missedM2)} (${fmtNumber(r.sprayableM2 > 0 ? (r.missedM2 / r.sprayableM2) * 100 : 0, 1)} %)`],
    ['oversprayArea', ha(r.oversprayM2)],
    [
      'litresUsedPlanned',
      `${fmtNumber(r.litresUsed, 1)} / ${r.litresPlanned === null ? '—' : fmtNumber(r.litresPlanned, 1)} L`,
    ],
    ['targetRate', `${fmtNumber(r.targetLPerHa, 1)} L/ha`],
  ];
  return rows.map(([key, value]) => ({ key, label: t(key), value }));
}
