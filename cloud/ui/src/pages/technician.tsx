import { useEffect, useState } from 'preact/hooks';
import { api, type Me } from '../api.js';
import { fmtTime, t } from '../i18n.js';
import { FieldMap, type MapField } from '../components/field-map.js';
import { MissionPlanner } from '../components/mission-planner.js';
import { FieldUpload } from '../components/field-upload.js';
import { FieldDraw } from '../components/field-draw.js';
import { MissionReports } from '../components/mission-report.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectField } from '../components/select-field.js';
import { FarmView } from './farmer.js';
import { InputField } from '../components/input-field.js';

interface Farm {
  id: string;
  name: string;
  commune: string;
  gateways: Array<{ id: string; online: boolean | null; lastSeen: number | null }>;
}
interface UiConfig {
  tileUrl: string;
}
// protocol/schemas/common.ts ID_PATTERN
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function Provision({ farms }: { farms: Farm[] }) {
  const [id, setId] = useState('');
  const [farmId, setFarmId] = useState(farms[0]?.id ?? '');
  const [cred, setCred] = useState<{ username: string; password: string; url?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setCred(null);
    if (!ID.test(id)) {
      setInvalid(true);
      return;
    }
    try {
      setCred(await api('POST', '/api/v1/provision/gateways', { gatewayId: id, farmId }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="card" aria-labelledby="prov-h">
      <h2 id="prov-h">{t('provisioning')}</h2>
      <form onSubmit={(e) => void submit(e)} class="row" noValidate>
        {/* the `-` escaped: pattern attributes are compiled with the `v` flag */}
        <InputField
          id="prov-id"
          label={t('gatewayId')}
          required
          pattern="[a-z0-9][a-z0-9_\-]{0,63}"
          aria-describedby="prov-id-hint"
          aria-invalid={invalid ? 'true' : undefined}
          value={id}
          onValue={(v) => {
            setId(v);
            setInvalid(false);
          }}
        >
          <small id="prov-id-hint" class={invalid ? 'error' : 'muted'} role={invalid ? 'alert' : undefined}>
            {t('gatewayIdHint')}
          </small>
        </InputField>
        <SelectField id="prov-farm" label={t('farmId')} options={farms} value={farmId} onChange={setFarmId} />
        <button type="submit" class="primary">
          {t('register')}
        </button>
      </form>
      {cred && (
        <div class="status ok" role="status" data-testid="credentials">
          <p>{t('credentialsOnce')}</p>
          <dl>
            <dt>{t('credUser')}</dt>
            <dd>
              <code>{cred.username}</code>
            </dd>
            <dt>{t('credPassword')}</dt>
            <dd>
              <code>{cred.password}</code>
            </dd>
          </dl>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/** Technician (and admin): gateways and their health, fields map, provisioning, missions. */
export function TechnicianPage({ user }: { user: Me }) {
  const [farms, setFarms] = useState<Farm[] | null>(null);
  const [fields, setFields] = useState<MapField[]>([]);
  const [ui, setUi] = useState<UiConfig>({ tileUrl: '' });
  const [viewing, setViewing] = useState<Farm | null>(null);
  useEffect(() => {
    api<{ farms: Farm[] }>('GET', '/api/v1/my/farms').then(
      (r) => setFarms(r.farms),
      () => setFarms([]),
    );
    api<UiConfig>('GET', '/ui-config.json').then(setUi, () => undefined);
    api<{ fields: MapField[] }>('GET', '/api/v1/fields').then(
      (r) => setFields(r.fields),
      () => setFields([]),
    );
  }, [user.id]);
  if (!farms) return <p>{t('loading')}</p>;
  if (viewing) {
    return (
      <div class="tech">
        <p>
          <button type="button" onClick={() => setViewing(null)}>
            {t('backToList')}
          </button>
        </p>
        <h1>{viewing.name}</h1>
        <FarmView farms={[viewing]} />
      </div>
    );
  }
  return (
    <div class="tech">
      <h1>{t('technician')}</h1>
      <section class="card" aria-labelledby="gw-h">
        <h2 id="gw-h">{t('gateways')}</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t('farm')}</th>
                <th>{t('gateway')}</th>
                <th>{t('state')}</th>
                <th>{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {farms.flatMap((f) =>
                f.gateways.map((g) => (
                  <tr key={g.id}>
                    <td>
                      {f.name} <small>· {f.commune}</small>
                    </td>
                    <td>{g.id}</td>
                    <td>
                      <span class={`pill ${g.online ? 'on' : g.online === false ? 'off' : ''}`}>
                        {g.online ? t('online') : g.online === false ? t('offline') : t('unknown')}
                      </span>
                      {g.lastSeen && <small> {fmtTime(g.lastSeen)}</small>}
                    </td>
                    <td>
                      <button
                        type="button"
                        data-testid={`view-${g.id}`}
                        onClick={() => setViewing({ ...f, gateways: [g] })}
                      >
                        {t('viewFarm')}
                      </button>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="map-h">
        <h2 id="map-h">{t('fieldsMap')}</h2>
        <FieldMap fields={fields} tileUrl={ui.tileUrl} />
      </section>
      <FieldDraw
        farms={farms}
        fields={fields}
        tileUrl={ui.tileUrl}
        onCreated={(f) => setFields((old) => [...old, f])}
      />
      <FieldUpload farms={farms} onCreated={(f) => setFields((old) => [...old, f])} />
      <MissionPlanner fields={fields} tileUrl={ui.tileUrl} />
      <MissionReports fields={fields} tileUrl={ui.tileUrl} />
      <Provision farms={farms} />
    </div>
  );
}
