import type { ReportMsgKey } from '../../i18n-reports.js';

/** One row of GET /api/v1/reports/adoption (cloud/reports/rollup.ts AdoptionRow). */
export interface AdoptionRow {
  unitId: string;
  unitName: string;
  level: string;
  parentId: string | null;
  month: string;
  [kpi: string]: string | number | null;
}
export interface ReportUnit {
  id: string;
  parentId: string | null;
  level: string;
  name: string;
}
/** What the trend chart and the choropleth draw: one KPI of some units over some months. */
export interface KpiOverMonths {
  units: ReportUnit[];
  months: string[];
  rows: AdoptionRow[];
  kpi: ReportMsgKey;
}
export interface AdoptionReport {
  from: string;
  to: string;
  units: ReportUnit[];
  rows: AdoptionRow[];
}

/** The KPIs the dashboard shows, in order; each key is also a catalogue key. */
export const KPIS: ReportMsgKey[] = [
  'farmsRegistered',
  'farmsWithGatewayOnline',
  'farmsOnlinePct',
  'gatewayUptimePct',
  'automatedHa',
  'awdHa',
  'waterM3',
  'baselineM3',
  'waterSavedM3',
  'waterSavedPct',
  'missionsFlown',
  'sprayedHa',
  'litresApplied',
  'litresSavedPct',
  'activeUsers',
];

export const valueOf = (r: AdoptionRow | undefined, k: string): number | null => {
  const v = r?.[k];
  return typeof v === 'number' ? v : null;
};
