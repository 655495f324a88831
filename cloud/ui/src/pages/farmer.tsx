import { useEffect, useState } from 'preact/hooks';
import type { Zone } from '../../../../protocol/schemas/gateway-config.js';
import { api, openStream, type GwEvent, type LiveEvent, type Reading } from '../api.js';
import { fmtDateTime, fmtTime, fmtValue, t, type MsgKey } from '../i18n.js';
import { Chart } from '../components/chart.js';
import { ZoneEditor } from '../components/zone-editor.js';
import { ManualControl, type CmdState } from '../components/manual-control.js';

interface Farm { id: string; name: string; gateways: Array<{ id: string; online: boolean | null; lastSeen: number | null }> }
interface ConfigView { desired: null | { version: number; status: string; reasons: string[]; config: { zones: Zone[] } }; appliedVersion: number | null }
interface Live { online: boolean | null; lastSeen: number | null; readings: Reading[]; actuators: Record<string, boolean>; faults: Record<string, string> }
interface Alert { id: string; kind: string; message: string; since: number | null }

const key = (r: { sensor: string; metric: string }) => `${r.sensor}/${r.metric}`;

function ConfigStatus({ cfg }: { cfg: ConfigView }) {
  const d = cfg.desired;
  if (!d) return null;
  const cls = d.status === 'applied' ? 'ok' : d.status === 'rejected' ? 'bad' : 'wait';
  return (
    <div role="status" data-testid="config-status" class={`status ${cls}`}>
      {t(`status_${d.status}` as MsgKey, { v: d.version })}
      {d.status === 'rejected' && <ul>{d.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
    </div>
  );
}

function ZoneCard({ gw, zone, live, onSave, busy }: { gw: string; zone: Zone; live: Live; onSave: (z: Zone) => void; busy: boolean }) {
  const latest = new Map(live.readings.map((r) => [key(r), r]));
  const metrics: Array<[MsgKey, { sensor: string; metric: string } | undefined]> = [
    ['waterLevel', zone.sensors.waterLevel], ['soilMoisture', zone.sensors.soilMoisture], ['salinity', zone.sensors.intakeSalinity],
  ];
  const acts = [...zone.valves, ...(zone.pump ? [zone.pump] : [])];
  return (
    <article class="card zone" data-testid={`zone-${zone.id}`}>
      <h2>{t('zone')} {zone.name ?? zone.id} <small>· {t(`mode_${zone.mode}` as MsgKey)}</small></h2>
      <dl class="values">
        {metrics.filter(([, ref]) => ref).map(([label, ref]) => {
          const r = latest.get(key(ref!));
          return <div key={label}><dt>{t(label)}</dt><dd data-testid={`v-${zone.id}-${label}`}>{r ? fmtValue(r.value, r.unit) : '—'}</dd></div>;
        })}
      </dl>
      <p class="acts" aria-label={t('valves')}>
        {acts.map((v) => <span key={v} class={`pill ${live.actuators[v] ? 'on' : ''}`}>{v}: {live.actuators[v] ? t('open') : t('closed')}</span>)}
      </p>
      {metrics.filter(([, ref]) => ref).slice(0, 1).map(([label, ref]) => <Chart key={label} gatewayId={gw} sensor={ref!.sensor} metric={ref!.metric} label={t(label)} />)}
      <details>
        <summary>{t('settings')}</summary>
        <ZoneEditor zone={zone} onSave={onSave} busy={busy} />
      </details>
    </article>
  );
}

/** The farmer's page: live zones, settings with pending → applied, manual control, decisions, alerts. */
export function FarmerPage() {
  const [farms, setFarms] = useState<Farm[] | null>(null);
  const [gw, setGw] = useState<string>('');
  const [cfg, setCfg] = useState<ConfigView | null>(null);
  const [live, setLive] = useState<Live>({ online: null, lastSeen: null, readings: [], actuators: {}, faults: {} });
  const [events, setEvents] = useState<GwEvent[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [cmd, setCmd] = useState<CmdState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    api<{ farms: Farm[] }>('GET', '/api/v1/my/farms').then((r) => { setFarms(r.farms); setGw(r.farms[0]?.gateways[0]?.id ?? ''); }, (e: Error) => setError(e.message));
  }, []);

  const reload = async (id: string) => {
    const base = `/api/v1/gateways/${encodeURIComponent(id)}`;
    const [c, l, ev, al] = await Promise.all([
      api<ConfigView>('GET', `${base}/config`), api<Live>('GET', `${base}/live`),
      api<{ events: GwEvent[] }>('GET', `${base}/decisions?limit=20`), api<{ alerts: Alert[] }>('GET', `/api/v1/alerts?gateway=${encodeURIComponent(id)}`),
    ]);
    setCfg(c); setLive(l); setEvents(ev.events); setAlerts(al.alerts);
  };

  useEffect(() => {
    if (!gw) return undefined;
    reload(gw).catch((e: Error) => setError(e.message));
    return openStream((e: LiveEvent) => {
      if (e.gatewayId !== gw) return;
      if (e.type === 'telemetry') setLive((l) => ({ ...l, readings: mergeReadings(l.readings, e.readings) }));
      else if (e.type === 'state') { setLive((l) => ({ ...l, online: e.online, lastSeen: e.online ? e.ts : l.lastSeen })); void refreshAlerts(); }
      else if (e.type === 'event') { setEvents((x) => [e.event, ...x].slice(0, 20)); void reload(gw).catch(() => undefined); }
      else if (e.type === 'config') setCfg((c) => (c?.desired && c.desired.version === e.version ? { ...c, desired: { ...c.desired, status: e.status, reasons: e.reasons }, appliedVersion: e.status === 'applied' ? e.version : c.appliedVersion } : c));
      else if (e.type === 'cmd') setCmd((c) => (c && c.id === e.id ? { id: e.id, outcome: e.outcome, reason: e.reason } : c));
    });
    async function refreshAlerts() { setAlerts((await api<{ alerts: Alert[] }>('GET', `/api/v1/alerts?gateway=${encodeURIComponent(gw)}`)).alerts); }
  }, [gw]);

  const saveZone = async (z: Zone) => {
    if (!cfg?.desired) return;
    setBusy(true); setError('');
    try {
      const zones = cfg.desired.config.zones.map((x) => (x.id === z.id ? z : x));
      const rec = await api<ConfigView['desired']>('PUT', `/api/v1/gateways/${encodeURIComponent(gw)}/config`, { zones, baseVersion: cfg.desired.version });
      setCfg({ ...cfg, desired: rec });
    } catch (err) { setError((err as Error).message); } finally { setBusy(false); }
  };

  if (error && !farms) return <p class="error" role="alert">{t('error', { m: error })}</p>;
  if (!farms) return <p>{t('loading')}</p>;
  const zones = cfg?.desired?.config.zones ?? [];
  const valves = [...new Set(zones.flatMap((z) => z.valves))];
  return (
    <div class="farmer">
      <h1>{t('myZones')}</h1>
      <div class="row">
        <label for="gw-pick">{t('gateway')}</label>
        <select id="gw-pick" value={gw} onChange={(e) => setGw((e.target as HTMLSelectElement).value)}>
          {farms.flatMap((f) => f.gateways.map((g) => <option key={g.id} value={g.id}>{f.name} — {g.id}</option>))}
        </select>
        <span class={`pill ${live.online ? 'on' : live.online === false ? 'off' : ''}`} data-testid="gw-online">
          {live.online ? t('online') : live.online === false ? t('offline') : t('unknown')}
        </span>
        {live.lastSeen && <small>{t('lastSeen', { t: fmtTime(live.lastSeen) })}</small>}
      </div>
      {cfg && <ConfigStatus cfg={cfg} />}
      {error && <p class="error" role="alert">{error}</p>}
      <section aria-labelledby="alerts-h" class="card">
        <h2 id="alerts-h">{t('alerts')}</h2>
        {alerts.length === 0 ? <p class="muted">{t('noAlerts')}</p> : (
          <ul class="alerts">{alerts.map((a) => <li key={a.id} class={`alert ${a.kind}`}><strong>{t(`alert_${a.kind}` as MsgKey)}</strong> {a.message}</li>)}</ul>
        )}
      </section>
      <div class="zones">
        {zones.map((z) => <ZoneCard key={`${z.id}-${cfg?.desired?.version}`} gw={gw} zone={z} live={live} onSave={saveZone} busy={busy} />)}
      </div>
      {valves.length > 0 && <ManualControl gatewayId={gw} valves={valves} cmd={cmd} onSent={setCmd} />}
      <section aria-labelledby="dec-h" class="card">
        <h2 id="dec-h">{t('decisions')}</h2>
        <ul class="events">{events.map((e, i) => <li key={`${e.ts}-${i}`}><time>{fmtDateTime(e.ts)}</time> <span class={`sev ${e.severity}`}>{e.kind}</span> {e.reason}</li>)}</ul>
      </section>
    </div>
  );
}

function mergeReadings(old: Reading[], fresh: Reading[]): Reading[] {
  const m = new Map(old.map((r) => [key(r), r]));
  for (const r of fresh) { const p = m.get(key(r)); if (!p || p.ts <= r.ts) m.set(key(r), r); }
  return [...m.values()];
}
