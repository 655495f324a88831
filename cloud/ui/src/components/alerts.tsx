import { useState } from 'preact/hooks';
import { alertText, type AlertLike } from '../codes.js';
import { fmtDateTime, t, type MsgKey } from '../i18n.js';

export type Alert = AlertLike & { id: string; severity: string; since: number | null };

// no acknowledgement route on the server yet: the farmer's "đã biết" is kept in this browser,
// keyed by the alert and when it started, so the same alert coming back later shows again
const STORE = 'rs.acks';
const ackKey = (a: Alert) => `${a.id}@${a.since ?? ''}`;
function loadAcks(): Record<string, number> {
  try { return JSON.parse(localStorage.getItem(STORE) ?? '{}') as Record<string, number>; } catch { return {}; }
}

/** Open alerts of a gateway in the reader's language, each one acknowledgeable. */
export function AlertList({ alerts }: { alerts: Alert[] }) {
  const [acks, setAcks] = useState(loadAcks);
  const [showAll, setShowAll] = useState(false);
  const ack = (a: Alert) => {
    const next = { ...loadAcks(), [ackKey(a)]: Date.now() };
    localStorage.setItem(STORE, JSON.stringify(next));
    setAcks(next);
  };
  const open = alerts.filter((a) => !acks[ackKey(a)]);
  const done = alerts.filter((a) => acks[ackKey(a)]);
  const shown = showAll ? alerts : open;
  return (
    <section aria-labelledby="alerts-h" class="card">
      <h2 id="alerts-h">{t('alerts')}</h2>
      {shown.length === 0 && <p class="muted">{t('noAlerts')}</p>}
      <ul class="alerts">{shown.map((a) => {
        const { title, detail } = alertText(a);
        const at = acks[ackKey(a)];
        return (
          <li key={a.id} class={`alert sev-${a.severity}`} data-testid={`alert-${a.code ?? a.kind}`}>
            <strong>{title}</strong>
            {' '}<span class="pill">{t(`sev_${a.severity}` as MsgKey)}</span>
            {detail && <div>{detail}</div>}
            {a.since !== null && <small class="muted">{t('since', { t: fmtDateTime(a.since) })}</small>}
            {at ? <small class="muted"> · {t('acknowledged', { t: fmtDateTime(at) })}</small>
              : <div><button type="button" onClick={() => ack(a)}>{t('acknowledge')}</button></div>}
          </li>
        );
      })}</ul>
      {done.length > 0 && !showAll && <button type="button" onClick={() => setShowAll(true)}>{t('showAcknowledged', { n: done.length })}</button>}
    </section>
  );
}
