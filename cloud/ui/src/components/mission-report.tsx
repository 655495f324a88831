import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, linkUp, openStream } from '../api.js';
import { fmtDateTime, t, type MsgKey } from '../i18n.js';
import { ErrorBox } from './error-box.js';
import { FieldMap, type MapField, type MapOverlay } from './field-map.js';
import { RATE_COLOURS, rateStyle, reportRows, type RateClass, type ReportFigures } from './mission-report-scale.js';
import { InputField } from './input-field.js';

interface MissionRow {
  id: string;
  fieldId: string;
  name?: string;
  state: string;
  allowedActions: string[];
  product: string;
  createdAt: number;
}
interface Verification {
  missionId: string;
  report: ReportFigures;
  layer: unknown;
  verdict?: 'pass' | 'respray';
}

const STATE_KEY: Record<string, MsgKey> = {
  draft: 'draft',
  planned: 'planned',
  approved: 'approved',
  flown: 'flown',
  verified: 'verified',
};
// approve and reopen need the weather form of the planner; this list only records what happened after
const LIST_ACTIONS = [
  ['fly', 'markFlown'],
  ['verify', 'verify'],
] as const;
const LEGEND: RateClass[] = ['missed', 'under', 'ok', 'over', 'overspray'];

/** The as-applied report of a verified mission: figures and the applied-rate grid on the map. */
function ReportPanel({
  missionId,
  fields,
  tileUrl,
  onRespray,
}: {
  missionId: string;
  fields: MapField[];
  tileUrl: string;
  onRespray: () => void;
}) {
  const [v, setV] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setV(null);
    setError(null);
    api<Verification>('GET', `/api/v1/missions/${missionId}/verification`).then(setV, setError);
  }, [missionId]);
  const overlay = useMemo<MapOverlay | undefined>(
    () =>
      v
        ? {
            data: v.layer,
            style: (p) => rateStyle(Number(p.appliedLPerHa ?? 0), v.report.targetLPerHa, p.inside === true),
          }
        : undefined,
    [v],
  );
  if (error) return <ErrorBox error={error} />;
  if (!v || !overlay) return <p>{t('loading')}</p>;
  return (
    <div data-testid="mission-report">
      <h3>{t('asAppliedReport')}</h3>
      {v.verdict && (
        <p class={`status ${v.verdict === 'pass' ? 'ok' : 'bad'}`} data-testid="verdict">
          {t(v.verdict === 'pass' ? 'verdict_pass' : 'verdict_respray')}
          {v.verdict === 'respray' && (
            <>
              {' '}
              <button type="button" onClick={onRespray}>
                {t('respray')}
              </button>
            </>
          )}
        </p>
      )}
      <dl class="values">
        {reportRows(v.report).map((r) => (
          <div key={r.key}>
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
      <FieldMap fields={fields} overlay={overlay} tileUrl={tileUrl} />
      <p class="row">
        {LEGEND.map((c) => (
          <span key={c}>
            <span
              aria-hidden="true"
              style={{ display: 'inline-block', width: '0.9em', height: '0.9em', background: RATE_COLOURS[c] }}
            />{' '}
            {t(`rate_${c}` as MsgKey)}
          </span>
        ))}
      </p>
    </div>
  );
}

/** The technician's missions with their state, the after-flight actions the API allows, and reports. */
export function MissionReports({ fields, tileUrl }: { fields: MapField[]; tileUrl: string }) {
  const [missions, setMissions] = useState<MissionRow[] | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unavailable, setUnavailable] = useState(false);
  // the drone that flew: its as-applied log is what verification reads
  const [droneId, setDroneId] = useState('');
  const load = () =>
    api<{ missions: MissionRow[] }>('GET', '/api/v1/missions?limit=50').then((r) => setMissions(r.missions), setError);
  // a server without mission routes: the planner already says so, this list stays out of the way
  useEffect(() => {
    api<{ missions: MissionRow[] }>('GET', '/api/v1/missions?limit=50').then(
      (r) => setMissions(r.missions),
      () => setUnavailable(true),
    );
    // live: a planned, approved, cancelled, flown or verified mission on the stream reloads the
    // list (progress samples change nothing shown here); only while the stream is down does the
    // list refresh every 20 s instead, when the page is in view
    const stop = openStream((e) => {
      if (e.type === 'mission' && e.change !== 'progress') void load();
    });
    const timer = setInterval(() => {
      if (!linkUp.value && document.visibilityState === 'visible') void load();
    }, 20_000);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, []);
  const act = async (id: string, action: string) => {
    setError(null);
    try {
      const body = action === 'fly' && droneId.trim() ? { droneId: droneId.trim() } : {};
      const next = await api<MissionRow>('POST', `/api/v1/missions/${id}/${action}`, body);
      setMissions((old) =>
        (old ?? []).map((m) => (m.id === id ? { ...m, state: next.state, allowedActions: next.allowedActions } : m)),
      );
      if (next.state === 'verified') setShown(id);
    } catch (err) {
      setError(err);
    }
  };
  if (unavailable || !missions) return null;
  const shownMission = missions.find((m) => m.id === shown);
  return (
    <section class="card" aria-labelledby="mr-h">
      <h2 id="mr-h">{t('missionList')}</h2>
      <div class="row">
        <button
          type="button"
          onClick={() => {
            setError(null);
            void load();
          }}
        >
          {t('refresh')}
        </button>
        <InputField
          id="mr-drone"
          label={t('flownByDrone')}
          value={droneId}
          maxLength={64}
          autocomplete="off"
          onValue={setDroneId}
        />
      </div>
      {missions.length === 0 ? (
        <p class="muted">{t('noMissions')}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{t('createdAt')}</th>
                <th>{t('field')}</th>
                <th>{t('product')}</th>
                <th>{t('state')}</th>
                <th>{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {missions.map((m) => (
                <tr key={m.id} data-testid={`mission-row-${m.id}`}>
                  <td>{fmtDateTime(m.createdAt)}</td>
                  <td>{m.name ?? fields.find((f) => f.id === m.fieldId)?.name ?? '—'}</td>
                  <td>{m.product}</td>
                  <td>
                    <span class={`pill ${m.state === 'verified' ? 'on' : ''}`}>
                      {t(STATE_KEY[m.state] ?? 'unknown')}
                    </span>
                  </td>
                  <td>
                    {LIST_ACTIONS.filter(([a]) => m.allowedActions.includes(a)).map(([a, label]) => (
                      <button key={a} type="button" onClick={() => void act(m.id, a)}>
                        {t(label)}
                      </button>
                    ))}
                    {m.state === 'verified' && (
                      <button type="button" onClick={() => setShown(m.id)}>
                        {t('showReport')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBox error={error} />
      {shownMission && (
        <ReportPanel
          missionId={shownMission.id}
          fields={fields.filter((f) => f.id === shownMission.fieldId)}
          tileUrl={tileUrl}
          onRespray={() => {
            setError(null);
            api('POST', `/api/v1/missions/${shownMission.id}/respray`, {}).then(() => load(), setError);
          }}
        />
      )}
    </section>
  );
}
