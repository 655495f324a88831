import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import type { MapField } from './field-map.js';
import { SelectField } from './select-field.js';
import { FieldOutcome } from './field-outcome.js';
import { InputField } from './input-field.js';

export type UploadedField = MapField & { farmId: string; areaHa?: number };

/**
 * A field boundary from a GeoJSON or KML file, for one of the technician's farms. The server
 * validates it (rings, self-intersections, swapped lon/lat, …) and answers with every issue.
 */
export function FieldUpload({
  farms,
  onCreated,
}: {
  farms: Array<{ id: string; name: string }>;
  onCreated: (f: UploadedField) => void;
}) {
  const [farmId, setFarmId] = useState(farms[0]?.id ?? '');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<UploadedField | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setCreated(null);
    setBusy(true);
    try {
      const text = await file.text();
      const format = /\.kml$/i.test(file.name) ? 'kml' : 'geojson';
      const f = await api<UploadedField>('POST', '/api/v1/fields', {
        farmId,
        file: text,
        format,
        filename: file.name,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      setCreated(f);
      onCreated(f);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="up-h">
      <h2 id="up-h">{t('uploadField')}</h2>
      <form onSubmit={(e) => void submit(e)} class="row">
        <SelectField id="up-farm" label={t('farmId')} options={farms} value={farmId} onChange={setFarmId} />
        <InputField id="up-name" label={t('fieldName')} maxLength={100} value={name} onValue={setName} />
        {/* the browser's own file button speaks its own language: ours is a label in the app's */}
        <div class="field">
          <label for="up-file">{t('boundaryFile')}</label>
          <input
            id="up-file"
            class="sr"
            type="file"
            required
            accept=".geojson,.json,.kml,application/geo+json,application/vnd.google-earth.kml+xml"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
          <span>
            <label for="up-file" class="button" aria-hidden="true">
              {t('chooseFile')}
            </label>{' '}
            <small>{file ? file.name : t('noFileChosen')}</small>
          </span>
        </div>
        <button type="submit" class="primary" disabled={busy || !file}>
          {t('upload')}
        </button>
      </form>
      <FieldOutcome testId="field" error={error} created={created} />
    </section>
  );
}
