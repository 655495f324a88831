import type { GatewayEvent, Reading } from '../../protocol/index.js';
import type { WeatherVerdicts } from '../weather/types.js';

/** A command for one actuator (valve, intake gate or pump relay); the shell maps it to a coil. */
export interface ActuatorCommand {
  actuator: string;
  on: boolean;
  /** person-readable reason, the same text as the event that goes with it */
  reason: string;
}

/** A decision of the loop; the shell adds bootId and seq before it goes on the event topic. */
export type ControlEvent = Omit<GatewayEvent, 'bootId' | 'seq' | 'code'> & {
  /** always set by this gateway: the stable reason code the web app translates (edge/README.md "Event codes") */
  code: string;
};

/** The latest value of one sensor metric (the loop's memory of the bus). */
export interface LatestReading {
  value: number | null;
  ts: number;
  quality: 'good' | 'bad';
  fault?: Reading['fault'];
}

export interface ValveState {
  open: boolean;
  /** when it last changed state */
  since: number;
  /** after a max-run-time close it may not reopen before this */
  lockedUntil?: number;
  /** key of what currently keeps it from opening, for "blocked" events on change only */
  block?: string;
  blockReason?: string;
}

/** A person's word on a valve: open for N minutes, or hold closed. */
export interface Override {
  kind: 'open' | 'close';
  until: number;
  by: string;
  cmdId?: string;
}

export interface ZoneState {
  /** the mode's own hysteresis memory: between the thresholds it keeps what it did last */
  irrigating: boolean;
  lastClosedAt?: number;
}

export interface LoopState {
  /** false until the first step has commanded every actuator closed */
  started: boolean;
  startedAt?: number;
  /** `${sensor}/${metric}` → latest reading */
  latest: Record<string, LatestReading>;
  valves: Record<string, ValveState>;
  pumps: Record<string, { on: boolean; since: number }>;
  zones: Record<string, ZoneState>;
  /** valve id → override */
  overrides: Record<string, Override>;
  /** `${sensor}/${metric}` → current fault text, for sensor_fault / sensor_recovered on change */
  faults: Record<string, string>;
}

/** Tunables of the safety behaviour that are not part of the cloud's zone config. */
export interface LoopOptions {
  /** after a valve hit its max run time it stays closed this long (or the zone's min-off time if longer) */
  lockoutMinutes: number;
  /** a `close` command holds the valve closed this long before automatic modes may reopen it */
  closeHoldMinutes: number;
  /** a `stop-all` command holds every valve closed this long (or until an `open` command) */
  stopAllHoldMinutes: number;
  /** this step's weather verdicts per zone id (edge/weather), computed by the shell; none = no weather rules */
  weather?: WeatherVerdicts;
}

export const DEFAULT_LOOP_OPTIONS: LoopOptions = {
  lockoutMinutes: 30,
  closeHoldMinutes: 60,
  stopAllHoldMinutes: 12 * 60,
};

export interface StepResult {
  state: LoopState;
  commands: ActuatorCommand[];
  events: ControlEvent[];
}
