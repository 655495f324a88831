import { EventEmitter } from 'node:events';
import type { GatewayEvent, Reading } from '../../protocol/index.js';
import type { CommandOutcome, ConfigStatus } from './stores.js';

/**
 * What the web app hears live (over SSE). Ingest publishes telemetry/state/event; the control
 * service publishes config and command outcomes; the mission routes and the as-applied sink publish
 * `mission` changes. In-process: with several cloud instances each
 * one gets every uplink message through its own (non-shared) subscription, see mqtt-bridge.ts.
 */
export type LiveEvent =
  | { type: 'telemetry'; gatewayId: string; readings: Reading[] }
  | { type: 'state'; gatewayId: string; online: boolean; ts: number }
  | { type: 'event'; gatewayId: string; event: GatewayEvent }
  | { type: 'config'; gatewayId: string; version: number; status: ConfigStatus; reasons: string[] }
  | { type: 'cmd'; gatewayId: string; id: string; outcome: CommandOutcome; reason?: string | undefined }
  | MissionLiveEvent;

/** what happened to a mission: a lifecycle step, or as-applied samples arriving from its drone */
export type MissionChange = 'planned' | 'approved' | 'cancelled' | 'flown' | 'progress' | 'verified';

/**
 * A spray mission changed (cloud/missions/live.ts publishes it). Scoped by farm: the stream sends
 * it to the users who may see `farmId`. `state` is the mission's lifecycle state after the change.
 */
export interface MissionLiveEvent {
  type: 'mission';
  farmId: string;
  missionId: string;
  change: MissionChange;
  state: string;
  ts: number;
  /** verified: the verification's verdict */
  verdict?: 'pass' | 'respray' | undefined;
}

export interface LiveBus {
  publish(e: LiveEvent): void;
  /** returns the unsubscribe function */
  subscribe(fn: (e: LiveEvent) => void): () => void;
}

export class MemoryLiveBus implements LiveBus {
  private readonly em = new EventEmitter();
  constructor() {
    this.em.setMaxListeners(0);
  }
  publish(e: LiveEvent) {
    this.em.emit('e', e);
  }
  subscribe(fn: (e: LiveEvent) => void) {
    this.em.on('e', fn);
    return () => {
      this.em.off('e', fn);
    };
  }
}
