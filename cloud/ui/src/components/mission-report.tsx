import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t, type MsgKey } from '../i18n.js';
import { FieldMap, type MapField, type MapOverlay } from './field-map.js';
import { RATE_COLOURS, rateStyle, reportRows, type RateClass, type ReportFigures } from './mission-report-scale.js';

interface MissionRow { id: string; fieldId: string; name?: string; state: string; allowedActions: string[]; product: string; createdAt: number }
interface Verification { missionId: string; report: ReportFigures; layer: unknown }

const STATE_KEY: Record<string, MsgKey> = { draft: 'draft', approved: 'approved', flown: 'flown', verified: 'verified' };
// approve and reopen need the weather form of the planner; this list only records what happened after
const LIST_ACTIONS = [['fly', 'markFlown'], ['verify', 'verify']] as const;
const LEGEND: RateClass[] = ['missed', 'under', 'ok', 'over', 'overspray'];

/** The as-applied report of a verified mission: figures and the applied-rate grid on the map. */
function ReportPanel({ missionId, fields, tileUrl }: { missionId: string; fields: MapField[]; tileUrl: string }) {
  const [v, setV] = useState<Verification | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setV(null); setError('');
    api<Verification>('GET', `/api/v1/missions/${missionId}/verification`).then(setV, (e: Error) => setError(e.message));
  }, [missionId]);
  const overlay = useMemo<MapOverlay | undefined>(() => v ? {
    data: v.layer,
    style: (p) => rateStyle(Number(p.appliedLPerHa ?? 0), v.report.targetLPerHa, p.inside === true),
  } : undefined, [v]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!v || !overlay) return <p>{t('loading')}</p>;
  return (
    <div data-testid="mission-report">
      <h3>{t('asAppliedReport')}</h3>
      <dl class="values">{reportRows(v.report).map((r) => <div key={r.key}><dt>{r.label}</dt><dd>{r.value}</dd></div>)}</dl>
      <FieldMap fields={fields} overlay={overlay} tileUrl={tileUrl} />
      <p class="row">{LEGEND.map((c) => <span key={c}><span aria-hidden="true" style={{ display: 'inline-block', width: '0.9em', height: '0.9em', background: RATE_COLOURS[c] }} /> {t(`rate_${c}` as MsgKey)}</span>)}</p>
    </div>
  );
}

/** The technician's missions with their state, the after-flight actions the API allows, and reports. */
export function MissionReports({ fields, tileUrl }: { fields: MapField[]; tileUrl: string }) {
  const [missions, setMissions] = useState<MissionRow[] | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [unavailable, setUnavailable] = useState(false);
  // the drone that flew: its as-applied log is what verification reads
  const [droneId, setDroneId] = useState('');
  const load = () => api<{ missions: MissionRow[] }>('GET', '/api/v1/missions?limit=50').then((r) => setMissions(r.missions), (e: Error) => setError(e.message));
  // a server without mission routes: the planner already says so, this list stays out of the way
  useEffect(() => { api<{ missions: MissionRow[] }>('GET', '/api/v1/missions?limit=50').then((r) => setMissions(r.missions), () => setUnavailable(true)); }, []);
  const act = async (id: string, action: string) => {
    setError('');
    try {
      const body = action === 'fly' && droneId.trim() ? { droneId: droneId.trim() } : {};
      const next = await api<MissionRow>('POST', `/api/v1/missions/${id}/${action}`, body);
      setMissions((old) => (old ?? []).map((m) => (m.id === id ? { ...m, state: next.state, allowedActions: next.allowedActions } : m)));
      if (next.state === 'verified') setShown(id);
    } catch (err) { setError((err as Error).message); }
  };
  if (unavailable || !missions) return null;
  const shownMission = missions.find((m) => m.id === shown);
  return (
    <section class="card" aria-labelledby="mr-h">
      <h2 id="mr-h">{t('missionList')}</h2>
      <button type="button" onClick={() => { setError(''); void load(); }}>{t('refresh')}</button>
      <label class="inline">{t('flownByDrone')} <input value={droneId} onInput={(e) => setDroneId((e.target as HTMLInputElement).value)} placeholder="drone-demo-1" /></label>
      {missions.length === 0 ? <p class="muted">{t('noMissions')}</p> : (
        <div class="scroll"><table>
          <thead><tr><th>{t('field')}</th><th>{t('product')}</th><th>{t('state')}</th><th>{t('actions')}</th></tr></thead>
          <tbody>{missions.map((m) => (
            <tr key={m.id} data-testid={`mission-row-${m.id}`}>
              <td>{m.name ?? fields.find((f) => f.id === m.fieldId)?.name ?? m.fieldId}</td><td>{m.product}</td>
              <td><span class={`pill ${m.state === 'verified' ? 'on' : ''}`}>{STATE_KEY[m.state] ? t(STATE_KEY[m.state]!) : m.state}</span></td>
              <td>{LIST_ACTIONS.filter(([a]) => m.allowedActions.includes(a)).map(([a, label]) => <button key={a} type="button" onClick={() => act(m.id, a)}>{t(label)}</button>)}
                {m.state === 'verified' && <button type="button" onClick={() => setShown(m.id)}>{t('showReport')}</button>}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {shownMission && <ReportPanel missionId={shownMission.id} fields={fields.filter((f) => f.id === shownMission.fieldId)} tileUrl={tileUrl} />}
    </section>
  );
}
