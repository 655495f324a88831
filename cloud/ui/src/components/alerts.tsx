import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { alertText, type AlertLike } from '../codes.js';
import { fmtDateTime, t, type MsgKey } from '../i18n.js';
import { ErrorBox } from './error-box.js';

export type Alert = AlertLike & {
  id: string;
  severity: string;
  since: number | null;
  ack?: { by: string; at: number } | undefined;
};

/**
 * Open alerts of a gateway in the reader's language, each one acknowledgeable on the server
 * (POST /api/v1/alerts/:id/ack): everyone who sees the farm sees it acknowledged, until the same
 * alert begins again (a new `since`).
 */
export function AlertList({ alerts }: { alerts: Alert[] }) {
  // acknowledgements answered by the server, shown before the next listing brings them
  const [mine, setMine] = useState<Record<string, { by: string; at: number; since: number | null }>>({});
  const [showAll, setShowAll] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ack = async (a: Alert) => {
    setError(null);
    try {
      const r = await api<{ alert: Alert }>('POST', `/api/v1/alerts/${encodeURIComponent(a.id)}/ack`);
      if (r.alert.ack) setMine((m) => ({ ...m, [a.id]: { ...r.alert.ack!, since: a.since } }));
    } catch (err) {
      setError(err);
    }
  };
  const ackOf = (a: Alert) => a.ack ?? (mine[a.id]?.since === a.since ? mine[a.id] : undefined);
  const acks: Record<string, number> = Object.fromEntries(
    alerts.flatMap((a) => {
      const k = ackOf(a);
      return k ? [[a.id, k.at]] : [];
    }),
  );
  const ackKey = (a: Alert) => a.id;
  const open = alerts.filter((a) => !acks[ackKey(a)]);
  const done = alerts.filter((a) => acks[ackKey(a)]);
  const shown = showAll ? alerts : open;
  return (
    <section aria-labelledby="alerts-h" class="card">
      <h2 id="alerts-h">{t('alerts')}</h2>
      {shown.length === 0 && <p class="muted">{t('noAlerts')}</p>}
      <ul class="alerts">
        {shown.map((a) => {
          const { title, detail } = alertText(a);
          const at = acks[ackKey(a)];
          return (
            <li key={a.id} class={`alert sev-${a.severity}`} data-testid={`alert-${a.code ?? a.kind}`}>
              <strong>{title}</strong> <span class="pill">{t(`sev_${a.severity}` as MsgKey)}</span>
              {detail && <div>{detail}</div>}
              {a.since !== null && <small class="muted">{t('since', { t: fmtDateTime(a.since) })}</small>}
              {at ? (
                <small class="muted"> · {t('acknowledged', { t: fmtDateTime(at) })}</small>
              ) : (
                <div>
                  <button type="button" onClick={() => void ack(a)}>
                    {t('acknowledge')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {done.length > 0 && !showAll && (
        <button type="button" onClick={() => setShowAll(true)}>
          {t('showAcknowledged', { n: done.length })}
        </button>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
