import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Zone } from '../../../../protocol/schemas/gateway-config.js';
import { api, ApiError, linkUp, openStream, type GwEvent, type LiveEvent, type Reading } from '../api.js';
import { fmtDateTime, fmtTime, fmtValue, t, type MsgKey } from '../i18n.js';
import { eventText } from '../codes.js';
import { useSignal } from '../state.js';
import { loadLast, saveLast } from '../cache.js';
import { ZoneHistory, type ChartMetric } from '../components/chart.js';
import { periodsFromEvents } from '../components/chart-data.js';
import { ZoneEditor } from '../components/zone-editor.js';
import { heldBy, ManualControl, type CmdState } from '../components/manual-control.js';
import { AlertList, type Alert } from '../components/alerts.js';
import { ErrorBox } from '../components/error-box.js';
import { OfflineNote } from '../components/offline-note.js';
import { takeStartFarms, takeStartView } from '../start.js';

interface Farm {
  id: string;
  name: string;
  gateways: Array<{ id: string; online: boolean | null; lastSeen: number | null }>;
}
interface ConfigView {
  desired: null | { version: number; status: string; reasons: unknown[]; config: { zones: Zone[] } };
  appliedVersion: number | null;
}
interface Live {
  online: boolean | null;
  lastSeen: number | null;
  readings: Reading[];
  actuators: Record<string, boolean>;
  faults: Record<string, string>;
}
interface View {
  cfg: ConfigView;
  live: Live;
  events: GwEvent[];
  alerts: Alert[];
}

const key = (r: { sensor: string; metric: string }) => `${r.sensor}/${r.metric}`;
const EMPTY_LIVE: Live = { online: null, lastSeen: null, readings: [], actuators: {}, faults: {} };

function ConfigStatus({ cfg }: { cfg: ConfigView }) {
  const d = cfg.desired;
  if (!d) return null;
  const cls = d.status === 'applied' ? 'ok' : d.status === 'rejected' ? 'bad' : 'wait';
  const k = `status_${d.status}`;
  return (
    <div role="status" data-testid="config-status" class={`status ${cls}`}>
      {t(
        (['status_pending', 'status_applied', 'status_rejected', 'status_sent'].includes(k)
          ? k
          : 'status_pending') as MsgKey,
        { v: d.version },
      )}
      {d.status === 'rejected' && (
        <ul>
          <li>{t('configRejectedGeneric')}</li>
        </ul>
      )}
    </div>
  );
}

function ZoneCard({
  gw,
  zone,
  live,
  events,
  onSave,
  busy,
}: {
  gw: string;
  zone: Zone;
  live: Live;
  events: GwEvent[];
  onSave: (z: Zone) => void;
  busy: boolean;
}) {
  const latest = new Map(live.readings.map((r) => [key(r), r]));
  const refs: Array<[MsgKey, { sensor: string; metric: string } | undefined]> = [
    ['waterLevel', zone.sensors.waterLevel],
    ['soilMoisture', zone.sensors.soilMoisture],
    ['salinity', zone.sensors.intakeSalinity],
  ];
  const metrics: ChartMetric[] = useMemo(
    () => refs.filter(([, r]) => r).map(([label, r]) => ({ label, sensor: r!.sensor, metric: r!.metric })),
    [zone],
  );
  const acts = [...zone.valves, ...(zone.pump ? [zone.pump] : [])];
  const periods = useMemo(() => periodsFromEvents(events, zone.valves, Date.now()), [events, zone]);
  return (
    <article class="card zone" data-testid={`zone-${zone.id}`}>
      <h2>
        {t('zoneTitle', { name: zone.name ?? zone.id })} <small>· {t(`mode_${zone.mode}` as MsgKey)}</small>
      </h2>
      <dl class="values">
        {metrics.map((m) => {
          const r = latest.get(key(m));
          return (
            <div key={m.label}>
              <dt>{t(m.label)}</dt>
              <dd data-testid={`v-${zone.id}-${m.label}`}>{r ? fmtValue(r.value, r.unit) : '—'}</dd>
            </div>
          );
        })}
      </dl>
      <p class="acts" aria-label={t('valves')}>
        {acts.map((v) => (
          <span key={v} class={`pill ${live.actuators[v] ? 'on' : ''}`}>
            {t('actuatorState', { name: v, state: live.actuators[v] ? t('open') : t('closed') })}
          </span>
        ))}
      </p>
      <ZoneHistory gatewayId={gw} metrics={metrics} valves={zone.valves} live={periods} />
      <details>
        <summary>{t('settings')}</summary>
        <ZoneEditor zone={zone} onSave={onSave} busy={busy} />
      </details>
    </article>
  );
}

async function loadView(id: string): Promise<View> {
  const base = `/api/v1/gateways/${encodeURIComponent(id)}`;
  const [cfg, live, ev, al] = await Promise.all([
    api<ConfigView>('GET', `${base}/config`),
    api<Live>('GET', `${base}/live`),
    api<{ events: GwEvent[] }>('GET', `${base}/decisions?limit=50`),
    api<{ alerts: Alert[] }>('GET', `/api/v1/alerts?gateway=${encodeURIComponent(id)}`),
  ]);
  return { cfg, live, events: ev.events, alerts: al.alerts };
}

/**
 * One farm's live zones, history, settings (pending → applied), manual control, decisions and
 * alerts. The farmer lands here; a technician opens it for any farm of the cooperative. The last
 * view is kept in the browser: offline, it shows with its age and the controls are off.
 */
export function FarmView({ farms }: { farms: Farm[] }) {
  const up = useSignal(linkUp);
  const [gw, setGw] = useState<string>(farms[0]?.gateways[0]?.id ?? '');
  // the real farm list replaced the remembered one and no longer holds this gateway
  useEffect(() => {
    if (!farms.some((f) => f.gateways.some((g) => g.id === gw))) setGw(farms[0]?.gateways[0]?.id ?? '');
  }, [farms]);
  const [view, setView] = useState<View | null>(null);
  const [cachedAt, setCachedAt] = useState<number | null>(null);
  const [cmd, setCmd] = useState<CmdState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const patch = (f: (v: View) => View) =>
    setView((v) => {
      if (!v) return v;
      const n = f(v);
      saveLast(`gw.${gw}`, n);
      return n;
    });

  const reload = (id: string) =>
    loadView(id).then(
      (v) => {
        setView(v);
        setCachedAt(null);
        saveLast(`gw.${id}`, v);
      },
      (e: unknown) => {
        const c = loadLast<View>(`gw.${id}`);
        if (c && e instanceof ApiError && e.status === 0) {
          setView(c.data);
          setCachedAt(c.at);
        } else setError(e);
      },
    );

  useEffect(() => {
    if (!gw) return undefined;
    setError(null);
    // the login's view of the first gateway, once; every later load asks the API
    const first = takeStartView(gw);
    if (first) {
      const v = { cfg: first.config, live: first.live, events: first.events, alerts: first.alerts } as View;
      setView(v);
      saveLast(`gw.${gw}`, v);
    } else {
      setView(null);
      void reload(gw);
    }
    return openStream((e: LiveEvent) => {
      if (e.type === 'mission' || e.gatewayId !== gw) return;
      if (e.type === 'telemetry')
        patch((v) => ({ ...v, live: { ...v.live, readings: mergeReadings(v.live.readings, e.readings) } }));
      else if (e.type === 'state') {
        patch((v) => ({ ...v, live: { ...v.live, online: e.online, lastSeen: e.online ? e.ts : v.live.lastSeen } }));
        void reload(gw);
      } else if (e.type === 'event') {
        const ev = e.event;
        patch((v) => ({ ...v, events: [ev, ...v.events].slice(0, 50) }));
        const held = heldBy(ev.code, ev.data, ev.ts);
        if (held) setCmd((c) => (c && c.id === held.cmdId ? { ...c, what: held.what } : c));
        void reload(gw);
      } else if (e.type === 'config')
        patch((v) =>
          v.cfg.desired && v.cfg.desired.version === e.version
            ? {
                ...v,
                cfg: {
                  desired: { ...v.cfg.desired, status: e.status, reasons: e.reasons },
                  appliedVersion: e.status === 'applied' ? e.version : v.cfg.appliedVersion,
                },
              }
            : v,
        );
      else if (e.type === 'cmd')
        setCmd((c) => (c && c.id === e.id ? { ...c, outcome: e.outcome, reason: e.reason } : c));
    });
  }, [gw]);

  const saveZone = async (z: Zone) => {
    const d = view?.cfg.desired;
    if (!d) return;
    setBusy(true);
    setError(null);
    try {
      const zones = d.config.zones.map((x) => (x.id === z.id ? z : x));
      const rec = await api<ConfigView['desired']>('PUT', `/api/v1/gateways/${encodeURIComponent(gw)}/config`, {
        zones,
        baseVersion: d.version,
      });
      patch((v) => ({ ...v, cfg: { ...v.cfg, desired: rec } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const live = view?.live ?? EMPTY_LIVE;
  const zones = view?.cfg.desired?.config.zones ?? [];
  const valves = [...new Set(zones.flatMap((z) => z.valves))];
  const offline = cachedAt !== null || !up;
  return (
    <div class="farmer">
      <div class="row">
        <label for="gw-pick">{t('gateway')}</label>
        <select id="gw-pick" value={gw} onChange={(e) => setGw((e.target as HTMLSelectElement).value)}>
          {farms.flatMap((f) =>
            f.gateways.map((g) => (
              <option key={g.id} value={g.id}>
                {f.name} — {g.id}
              </option>
            )),
          )}
        </select>
        {/* offline, the gateway's state is not known: the cached one would be a guess */}
        <span
          class={`pill ${cachedAt !== null ? '' : live.online ? 'on' : live.online === false ? 'off' : ''}`}
          data-testid="gw-online"
        >
          {cachedAt !== null
            ? t('unknown')
            : live.online
              ? t('online')
              : live.online === false
                ? t('offline')
                : t('unknown')}
        </span>
        {live.lastSeen && <small>{t('lastSeen', { t: fmtTime(live.lastSeen) })}</small>}
      </div>
      {cachedAt !== null && <OfflineNote at={cachedAt} />}
      {view && <ConfigStatus cfg={view.cfg} />}
      <ErrorBox error={error} />
      {!view && !error && <p>{t('loading')}</p>}
      {view && <AlertList alerts={view.alerts} />}
      <div class="zones">
        {zones.map((z) => (
          <ZoneCard
            key={`${z.id}-${view?.cfg.desired?.version}`}
            gw={gw}
            zone={z}
            live={live}
            events={view?.events ?? []}
            onSave={(z) => void saveZone(z)}
            busy={busy || offline}
          />
        ))}
      </div>
      {valves.length > 0 && (
        <ManualControl
          gatewayId={gw}
          valves={valves}
          cmd={cmd}
          onSent={setCmd}
          disabled={offline}
          events={view?.events ?? []}
        />
      )}
      {view && (
        <section aria-labelledby="dec-h" class="card">
          <h2 id="dec-h">{t('decisions')}</h2>
          {view.events.length === 0 && <p class="muted">{t('noDecisions')}</p>}
          <ul class="events" data-testid="decisions">
            {view.events.slice(0, 20).map((e, i) => (
              <li key={`${e.ts}-${i}`}>
                <time>{fmtDateTime(e.ts)}</time> {eventText(e)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

// which gateway a user opened last, kept across logouts (an id, nothing measured): the next
// login loads it at once, beside the farm list, one round trip sooner on a slow link
const hintKey = (userId: string) => `rs.hint.gw.${userId}`;

/** The farmer's page: their farms' gateways (the last list kept for offline use). */
export function FarmerPage({ userId }: { userId: string }) {
  const hint = localStorage.getItem(hintKey(userId));
  // farms from the login's answer when it just came; else the hint, then the API
  const [started] = useState(takeStartFarms);
  const [farms, setFarms] = useState<Farm[] | null>(
    started ?? (hint ? [{ id: '', name: '', gateways: [{ id: hint, online: null, lastSeen: null }] }] : null),
  );
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const got = (list: Farm[]) => {
      setFarms(list);
      saveLast('farms', list);
      const first = list[0]?.gateways[0]?.id;
      if (first) localStorage.setItem(hintKey(userId), first);
      else localStorage.removeItem(hintKey(userId));
    };
    if (started) {
      got(started);
      return;
    }
    api<{ farms: Farm[] }>('GET', '/api/v1/my/farms').then(
      (r) => got(r.farms),
      (e: unknown) => {
        const c = loadLast<Farm[]>('farms');
        if (c && e instanceof ApiError && e.status === 0) setFarms(c.data);
        else setError(e);
      },
    );
  }, []);
  if (error && !farms) return <ErrorBox error={error} />;
  if (!farms) return <p>{t('loading')}</p>;
  return (
    <>
      <h1>{t('myZones')}</h1>
      <FarmView farms={farms} />
    </>
  );
}

function mergeReadings(old: Reading[], fresh: Reading[]): Reading[] {
  const m = new Map(old.map((r) => [key(r), r]));
  for (const r of fresh) {
    const p = m.get(key(r));
    if (!p || p.ts <= r.ts) m.set(key(r), r);
  }
  return [...m.values()];
}
