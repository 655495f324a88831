import { MissionError } from './errors.js';
import { FIRMWARES, type Firmware } from './firmware.js';
import type { Plan } from './types.js';

/** One downloadable file of a mission, as the exports listing names it. */
export interface ExportFile {
  /** 1-based sortie of a `.plan`; null for files holding the whole mission */
  sortie: number | null;
  sorties: number;
  format: 'geojson' | 'kml' | 'plan';
  firmware?: Firmware;
  name: string;
  url: string;
}

/** `mission-ab12cd34-sortie-2-of-4-px4.plan`: a file name that says which part of what it is. */
export function exportName(
  missionId: string,
  format: ExportFile['format'],
  o: { sortie?: number; sorties: number; firmware?: Firmware },
): string {
  const base = `mission-${missionId.slice(0, 8)}`;
  if (format !== 'plan') return `${base}.${format}`;
  return `${base}-sortie-${o.sortie ?? 1}-of-${o.sorties}-${o.firmware ?? 'px4'}.plan`;
}

/** Every file of a mission: the whole route as GeoJSON and KML, and one `.plan` per sortie and firmware. */
export function exportFiles(missionId: string, plan: Plan, urlBase: string): ExportFile[] {
  const sorties = plan.metrics.sorties;
  const files: ExportFile[] = (['geojson', 'kml'] as const).map((format) => ({
    sortie: null,
    sorties,
    format,
    name: exportName(missionId, format, { sorties }),
    url: `${urlBase}/export.${format}`,
  }));
  for (const firmware of FIRMWARES) {
    for (const s of plan.sorties) {
      files.push({
        sortie: s.sortie,
        sorties,
        format: 'plan',
        firmware,
        name: exportName(missionId, 'plan', { sortie: s.sortie, sorties, firmware }),
        url: `${urlBase}/export.plan?sortie=${s.sortie}&firmware=${firmware}`,
      });
    }
  }
  return files;
}

/** The sortie a `.plan` download is for: required when there are several. */
export function sortieOf(plan: Plan, asked: number | undefined): number {
  const sorties = plan.metrics.sorties;
  if (asked === undefined) {
    if (sorties > 1)
      throw new MissionError(
        'SORTIE_REQUIRED',
        `the mission has ${sorties} sorties and a .plan holds one: ask for ?sortie=1…${sorties}`,
        { context: { params: { sorties } } },
      );
    return 1;
  }
  if (!plan.sorties.some((s) => s.sortie === asked)) {
    throw new MissionError('SORTIE_NOT_FOUND', `the mission has no sortie ${asked} (it has ${sorties})`, {
      context: { params: { sortie: asked, sorties } },
    });
  }
  return asked;
}
