import { planToGeoJson } from './export-geojson.js';
import { planToKml } from './export-kml.js';
import { planToQgc, type QgcOptions } from './qgc-plan.js';
import type { Plan } from './types.js';

export type ExportFormat = 'geojson' | 'kml' | 'qgc';

export const EXPORT_TYPES: Record<ExportFormat, { ext: string; contentType: string }> = {
  geojson: { ext: '.geojson', contentType: 'application/geo+json' },
  kml: { ext: '.kml', contentType: 'application/vnd.google-earth.kml+xml' },
  qgc: { ext: '.plan', contentType: 'application/json' },
};

/** One export as text. `qgc` is one sortie per file (opts.sortie, default 1). */
export function exportPlan(plan: Plan, format: ExportFormat, opts: QgcOptions = {}): string {
  if (format === 'kml') return planToKml(plan);
  if (format === 'qgc') return `${JSON.stringify(planToQgc(plan, opts), null, 4)}\n`;
  return `${JSON.stringify(planToGeoJson(plan))}\n`;
}
