import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtTime, t, type MsgKey } from '../i18n.js';
import { ErrorBox } from './error-box.js';
import { SelectField } from './select-field.js';
import { checkNumber } from '../validate.js';
import { InputField } from './input-field.js';

export interface CmdState {
  id: string;
  outcome: string;
  reason?: string | undefined;
  what?: string;
}

/**
 * How long a close / stop-all holds the valves before the automatic mode may act again: the
 * gateway's `loop.closeHoldMinutes` / `stopAllHoldMinutes` defaults (edge/config.ts). A gateway
 * configured otherwise is not told to the cloud, so the preview uses the defaults.
 */
export const CLOSE_HOLD_MIN = 60;
export const STOP_ALL_HOLD_MIN = 12 * 60;

type Kind = 'open' | 'close' | 'stop-all';
type SendKind = Kind | 'resume';
const KIND_OF_CODE: Record<string, Kind> = { cmd_open: 'open', cmd_close: 'close', cmd_stop_all: 'stop-all' };

/** The gateway's own word on a command it ran (`cmd_executed`, data: cmdId, valves, minutes): what really holds, until when. */
export function heldBy(
  code: string | undefined,
  data: Record<string, unknown> | undefined,
  ts: number,
): { cmdId: string; what: string } | null {
  const kind = code ? KIND_OF_CODE[code] : undefined;
  if (!kind || typeof data?.cmdId !== 'string' || typeof data.minutes !== 'number') return null;
  const valves =
    typeof data.valves === 'string' ? data.valves : Array.isArray(data.valves) ? data.valves.join(', ') : '';
  return { cmdId: data.cmdId, what: preview(kind, valves, data.minutes, ts, data.minutes) };
}

interface HoldEvent {
  ts: number;
  kind: string;
  code?: string | undefined;
  valve?: string | undefined;
  data?: Record<string, unknown> | undefined;
}
const HOLD_CODES = new Set(['cmd_open', 'cmd_close', 'cmd_stop_all']);
const DECISION_KINDS = new Set(['valve_opened', 'valve_closed', 'interlock']);

/**
 * Valves the gateway reports under a manual hold at `now`, from its events (newest first): a
 * command it ran holds its valves for `minutes`; a resume, or a later automatic decision or
 * interlock on a valve, ends it.
 */
export function activeHolds(events: readonly HoldEvent[], now: number): Set<string> {
  const held = new Set<string>();
  const settled = new Set<string>();
  const settle = (v: string, isHeld: boolean) => {
    if (settled.has(v)) return;
    settled.add(v);
    if (isHeld) held.add(v);
  };
  for (const e of events) {
    const valves = typeof e.data?.valves === 'string' ? e.data.valves.split(',').filter(Boolean) : [];
    if (e.kind === 'cmd_executed' && e.code && HOLD_CODES.has(e.code) && typeof e.data?.minutes === 'number') {
      for (const v of valves) settle(v, e.ts + e.data.minutes * 60_000 > now);
    } else if (e.kind === 'cmd_executed' && e.code === 'cmd_resume') {
      for (const v of valves) settle(v, false);
    } else if (e.valve && DECISION_KINDS.has(e.kind)) {
      const until = e.data?.until;
      settle(
        e.valve,
        (e.code === 'manual_open' || e.code === 'manual_close') && typeof until === 'number' && until > now,
      );
    }
  }
  return held;
}

/** "Đóng v1 — tự động trở lại lúc 14:30": what a button will do, before it is pressed. */
export function preview(kind: Kind, valve: string, minutes: number, now = Date.now(), holdMinutes?: number): string {
  const hold = kind === 'open' ? minutes : (holdMinutes ?? (kind === 'close' ? CLOSE_HOLD_MIN : STOP_ALL_HOLD_MIN));
  const at = fmtTime(now + hold * 60_000);
  if (kind === 'open') return t('willOpen', { valve, minutes, at });
  return kind === 'close' ? t('willClose', { valve, at }) : t('willStopAll', { at });
}

/**
 * Open a valve N minutes, close it, stop all; each button says what will happen; the gateway's ack
 * shows below (via SSE). While the chosen valve is held by hand, "resume automatic now" ends the hold.
 */
export function ManualControl({
  gatewayId,
  valves,
  cmd,
  onSent,
  disabled,
  events = [],
}: {
  gatewayId: string;
  valves: string[];
  cmd: CmdState | null;
  onSent: (c: CmdState) => void;
  disabled?: boolean;
  events?: readonly HoldEvent[];
}) {
  const [valve, setValve] = useState(valves[0] ?? '');
  const [minutes, setMinutes] = useState('10');
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState('');
  const mins = checkNumber(minutes, { field: 'fld_minutes', min: 1, max: 1440, integer: true });
  const holds = activeHolds(events, Date.now());
  const send = async (kind: SendKind) => {
    setError(null);
    setInvalid('');
    if (kind === 'open' && mins.error) {
      setInvalid(mins.error);
      return;
    }
    const body =
      kind === 'open'
        ? { kind, valve, minutes: mins.value }
        : kind === 'close' || kind === 'resume'
          ? { kind, valve }
          : { kind };
    const what = kind === 'resume' ? undefined : preview(kind, valve, mins.value ?? 0);
    try {
      const r = await api<{ command: { id: string }; outcome: string }>(
        'POST',
        `/api/v1/gateways/${encodeURIComponent(gatewayId)}/commands`,
        body,
      );
      onSent({ id: r.command.id, outcome: r.outcome, ...(what ? { what } : {}) });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="card" aria-labelledby="manual-h">
      <h2 id="manual-h">{t('manual')}</h2>
      <div class="row">
        <SelectField
          id="mc-valve"
          label={t('valve')}
          options={valves.map((v) => ({ id: v, name: v }))}
          value={valve}
          onChange={setValve}
        />
        <InputField
          id="mc-min"
          label={t('openFor')}
          type="number"
          min="1"
          max="1440"
          step="1"
          inputMode="numeric"
          value={minutes}
          aria-invalid={invalid ? 'true' : undefined}
          onValue={(v) => {
            setMinutes(v);
            setInvalid('');
          }}
        />
      </div>
      <ul class="plain">
        <li>
          <button type="button" disabled={disabled} onClick={() => void send('open')}>
            {t('openValve')}
          </button>{' '}
          <small class="muted" data-testid="will-open">
            {mins.error ? '' : preview('open', valve, mins.value!)}
          </small>
        </li>
        <li>
          <button type="button" disabled={disabled} onClick={() => void send('close')}>
            {t('closeValve')}
          </button>{' '}
          <small class="muted" data-testid="will-close">
            {preview('close', valve, 0)}
          </small>
        </li>
        <li>
          <button type="button" disabled={disabled} class="danger" onClick={() => void send('stop-all')}>
            {t('stopAll')}
          </button>{' '}
          <small class="muted">{preview('stop-all', valve, 0)}</small>
        </li>
        {holds.has(valve) && (
          <li>
            <button type="button" disabled={disabled} data-testid="resume-auto" onClick={() => void send('resume')}>
              {t('resumeAuto')}
            </button>
          </li>
        )}
      </ul>
      {invalid && (
        <p class="error" role="alert">
          {invalid}
        </p>
      )}
      {cmd && (
        <p role="status" data-testid="cmd-status" class={`status ${cmd.outcome}`}>
          {t(`cmd_${cmd.outcome}` as MsgKey)}
          {cmd.outcome === 'done' && cmd.what && (
            <>
              <br />
              {t('holdNow', { what: cmd.what })}
            </>
          )}
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
