import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';

/** GET /api/v1/missions/:id/exports (cloud/missions/README.md) */
interface ExportFile {
  sortie: number | null;
  sorties: number;
  format: string;
  firmware?: string;
  name: string;
  url: string;
}
interface Exports {
  approved: boolean;
  files: ExportFile[];
}

const label = (f: ExportFile) =>
  f.sortie === null
    ? `${t('download')} .${f.format}${f.firmware ? ` · ${f.firmware}` : ''}`
    : `${t('downloadSortie', { format: `.${f.format}`, n: f.sortie, of: f.sorties })}${f.firmware ? ` · ${f.firmware}` : ''}`;

/** The files of an approved mission, every sortie listed; before approval, only a line saying so. */
export function MissionDownloads({ missionId, state }: { missionId: string; state: string }) {
  const [ex, setEx] = useState<Exports | null>(null);
  useEffect(() => {
    setEx(null);
    api<Exports>('GET', `/api/v1/missions/${encodeURIComponent(missionId)}/exports`).then(setEx, () =>
      setEx({ approved: false, files: [] }),
    );
  }, [missionId, state]);
  if (!ex) return null;
  if (!ex.approved)
    return (
      <p class="muted" data-testid="downloads-locked">
        {t('downloadsAfterApproval')}
      </p>
    );
  return (
    <ul class="plain downloads" data-testid="downloads">
      {ex.files.map((f) => (
        <li key={f.url}>
          <a class="button" download={f.name} href={f.url}>
            {label(f)}
          </a>
        </li>
      ))}
    </ul>
  );
}
