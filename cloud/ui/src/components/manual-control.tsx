import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t, type MsgKey } from '../i18n.js';

export interface CmdState { id: string; outcome: string; reason?: string | undefined }

/** Open a valve N minutes, close it, stop all; the gateway's ack shows below (via SSE). */
export function ManualControl({ gatewayId, valves, cmd, onSent }: { gatewayId: string; valves: string[]; cmd: CmdState | null; onSent: (c: CmdState) => void }) {
  const [valve, setValve] = useState(valves[0] ?? '');
  const [minutes, setMinutes] = useState('10');
  const [error, setError] = useState('');
  const send = async (body: Record<string, unknown>) => {
    setError('');
    try {
      const r = await api<{ command: { id: string }; outcome: string }>('POST', `/api/v1/gateways/${encodeURIComponent(gatewayId)}/commands`, body);
      onSent({ id: r.command.id, outcome: r.outcome });
    } catch (err) { setError((err as Error).message); }
  };
  return (
    <section class="card" aria-labelledby="manual-h">
      <h2 id="manual-h">{t('manual')}</h2>
      <div class="row">
        <div class="field"><label for="mc-valve">{t('valves')}</label>
          <select id="mc-valve" value={valve} onChange={(e) => setValve((e.target as HTMLSelectElement).value)}>
            {valves.map((v) => <option key={v} value={v}>{v}</option>)}
          </select></div>
        <div class="field"><label for="mc-min">{t('openFor')}</label>
          <input id="mc-min" type="number" min="1" max="1440" inputMode="numeric" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} /></div>
      </div>
      <div class="row">
        <button type="button" onClick={() => send({ kind: 'open', valve, minutes: Number(minutes) })}>{t('openValve')}</button>
        <button type="button" onClick={() => send({ kind: 'close', valve })}>{t('closeValve')}</button>
        <button type="button" class="danger" onClick={() => send({ kind: 'stop-all' })}>{t('stopAll')}</button>
      </div>
      {cmd && <p role="status" data-testid="cmd-status" class={`status ${cmd.outcome}`}>{t(`cmd_${cmd.outcome}` as MsgKey, { r: cmd.reason ?? '' })}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
