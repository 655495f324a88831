import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtNumber, t } from '../i18n.js';
import { FieldMap, type MapField, type MapLine } from './field-map.js';
import { WeatherApproval } from './weather-approval.js';
import { MissionDownloads } from './mission-downloads.js';
import { ErrorBox } from './error-box.js';
import { SelectField } from './select-field.js';
import { IssueList } from './issue-list.js';
import { warningText, type WarningLike } from '../codes.js';
import { InputField } from './input-field.js';

interface Options {
  drones: Array<{ id: string; name: string }>;
  products: Array<{ id: string; name: string; rateLPerHa: number }>;
}
interface Mission {
  id: string;
  fieldId: string;
  status: string;
  warnings: Array<WarningLike | string>;
  metrics: { sprayableAreaHa: number; pathLengthM: number; litres: number; sorties: number; coverage: number };
  legs: MapLine[];
}

/** Pick a field, a drone and a product; plan; see route and metrics; approve; download. */
export function MissionPlanner({ fields, tileUrl }: { fields: MapField[]; tileUrl: string }) {
  const [opts, setOpts] = useState<Options | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [fieldId, setFieldId] = useState('');
  const [droneId, setDroneId] = useState('');
  const [productId, setProductId] = useState('');
  const [rate, setRate] = useState('');
  const [mission, setMission] = useState<Mission | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Options>('GET', '/api/v1/missions/options').then(
      (o) => {
        setOpts(o);
        setDroneId(o.drones[0]?.id ?? '');
        setProductId(o.products[0]?.id ?? '');
        setRate(String(o.products[0]?.rateLPerHa ?? 15));
      },
      () => setUnavailable(true),
    );
  }, []);
  useEffect(() => {
    if (!fieldId && fields[0]) setFieldId(fields[0].id);
  }, [fields]);
  const picked = useMemo(() => fields.filter((f) => f.id === mission?.fieldId), [fields, mission?.fieldId]);
  if (unavailable)
    return (
      <section class="card">
        <h2>{t('missions')}</h2>
        <p class="muted">{t('missionsUnavailable')}</p>
      </section>
    );
  if (!opts) return null;
  const plan = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setMission(null);
    try {
      setMission(
        await api<Mission>('POST', '/api/v1/missions', {
          fieldId,
          droneId,
          productId,
          rateLPerHa: Number(rate.replace(',', '.')),
        }),
      );
    } catch (err) {
      setError(err);
    }
  };
  const m = mission?.metrics;
  return (
    <section class="card" aria-labelledby="mis-h">
      <h2 id="mis-h">{t('missions')}</h2>
      <form onSubmit={(e) => void plan(e)} class="row">
        <SelectField id="mis-field" label={t('field')} options={fields} value={fieldId} onChange={setFieldId} />
        <SelectField id="mis-drone" label={t('drone')} options={opts.drones} value={droneId} onChange={setDroneId} />
        <SelectField
          id="mis-product"
          label={t('product')}
          options={opts.products}
          value={productId}
          onChange={setProductId}
        />
        <InputField
          id="mis-rate"
          label={t('rateLha')}
          type="number"
          step="0.5"
          min="1"
          max="200"
          value={rate}
          onValue={setRate}
        />
        <button type="submit" class="primary">
          {t('planMission')}
        </button>
      </form>
      <ErrorBox error={error} />
      {mission && m && (
        <div data-testid="mission">
          <dl class="values">
            {(
              [
                ['area', `${fmtNumber(m.sprayableAreaHa, 2)} ha`],
                ['pathLength', `${fmtNumber(m.pathLengthM / 1000, 2)} km`],
                ['litres', `${fmtNumber(m.litres, 1)} L`],
                ['sorties', String(m.sorties)],
                ['coverage', `${fmtNumber(m.coverage * 100, 1)} %`],
              ] as const
            ).map(([k, v]) => (
              <div key={k}>
                <dt>{t(k)}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          {mission.warnings.length > 0 && (
            <div class="status wait">
              <strong>{t('warnings')}</strong>
              <IssueList issues={mission.warnings} text={warningText} />
            </div>
          )}
          <FieldMap fields={picked} lines={mission.legs} tileUrl={tileUrl} />
          {mission.status === 'planned' && <WeatherApproval<Mission> missionId={mission.id} onApproved={setMission} />}
          <div class="row">
            {mission.status !== 'planned' && (
              <span class="pill on" data-testid="mission-approved">
                {t(mission.status === 'verified' ? 'verified' : mission.status === 'flown' ? 'flown' : 'approved')}
              </span>
            )}
          </div>
          <MissionDownloads missionId={mission.id} state={mission.status} />
        </div>
      )}
    </section>
  );
}
