import { MissionError } from './errors.js';
import type { WeatherVerdict } from './weather.js';

export type MissionState = 'draft' | 'approved' | 'flown' | 'verified';
export type MissionAction = 'approve' | 'fly' | 'verify' | 'reopen';

export interface MissionEvent {
  action: MissionAction | 'create';
  from: MissionState | null;
  to: MissionState;
  by: string;
  at: number;
  note?: string;
  weather?: WeatherVerdict;
}

/** The lifecycle part of a mission record: state and who did what, when. */
export interface MissionLifecycle {
  state: MissionState;
  history: MissionEvent[];
}

const TRANSITIONS: Record<MissionAction, { from: MissionState[]; to: MissionState }> = {
  approve: { from: ['draft'], to: 'approved' },
  fly: { from: ['approved'], to: 'flown' },
  verify: { from: ['flown'], to: 'verified' },
  // an approved mission whose window passed goes back to draft for a new weather check
  reopen: { from: ['approved'], to: 'draft' },
};

export function newLifecycle(by: string, at: number): MissionLifecycle {
  return { state: 'draft', history: [{ action: 'create', from: null, to: 'draft', by, at }] };
}

export interface TransitionInput {
  by: string;
  at: number;
  note?: string;
  /** required by `approve`: a weather check that did not refuse */
  weather?: WeatherVerdict;
  /** `approve` with a weather warning needs the approver to accept it */
  acceptWarnings?: boolean;
}

/** draft → approved → flown → verified; returns a new lifecycle, never mutates. */
export function transition(lc: MissionLifecycle, action: MissionAction, input: TransitionInput): MissionLifecycle {
  const t = TRANSITIONS[action];
  if (!t) throw new MissionError('MISSION_INVALID_TRANSITION', `unknown action "${action}"`);
  if (!t.from.includes(lc.state)) {
    throw new MissionError(
      'MISSION_INVALID_TRANSITION',
      `cannot ${action} a mission that is ${lc.state}: ${action} needs ${t.from.join(' or ')}`,
      { context: { params: { state: lc.state, action, allowedFrom: t.from.join(',') } } },
    );
  }
  if (!input.by) throw new MissionError('MISSION_INVALID_TRANSITION', `${action} needs the name of who does it`);
  if (action === 'approve') checkApproval(input);
  const ev: MissionEvent = { action, from: lc.state, to: t.to, by: input.by, at: input.at };
  if (input.note) ev.note = input.note;
  if (input.weather) ev.weather = input.weather;
  return { state: t.to, history: [...lc.history, ev] };
}

function checkApproval(input: TransitionInput): void {
  const w = input.weather;
  if (!w)
    throw new MissionError('WEATHER_REFUSED', 'approval needs a weather check (wind and rain for the spray window)', {
      context: { params: { missing: 'windMps' } },
    });
  if (w.verdict === 'refuse') {
    throw new MissionError(
      'WEATHER_REFUSED',
      `weather refuses this mission: ${w.findings
        .filter((f) => f.level === 'refuse')
        .map((f) => f.message)
        .join('; ')}`,
      { context: { weather: w, params: { findings: w.findings.length } } },
    );
  }
  if (w.verdict === 'warn' && !input.acceptWarnings) {
    throw new MissionError(
      'WEATHER_REFUSED',
      `weather warnings must be accepted to approve: ${w.findings.map((f) => f.message).join('; ')}`,
      { context: { weather: w, params: { findings: w.findings.length } } },
    );
  }
}

/** Actions allowed from a state: what the UI offers. */
export function allowedActions(state: MissionState): MissionAction[] {
  return (Object.keys(TRANSITIONS) as MissionAction[]).filter((a) => TRANSITIONS[a].from.includes(state));
}
