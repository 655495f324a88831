import { log as rootLog, type Logger } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import type { LiveBus, MissionChange } from '../control/bus.js';
import type { MissionState } from './lifecycle.js';
import type { MissionRecord, MissionStore } from './store.js';

/** samples arrive in batches of a few per second: one `progress` event per mission per this many ms */
export const DEFAULT_PROGRESS_MS = 5_000;

export interface MissionFeedOptions {
  clock?: Clock;
  /** at most one `progress` event per mission in this window; default DEFAULT_PROGRESS_MS */
  progressMs?: number;
  log?: Logger;
}

/**
 * Puts mission changes on the live bus as `mission` events (the stream scopes them by farm).
 * Lifecycle steps are published at once; as-applied samples become throttled `progress` events.
 * The as-applied sink is built before the mission store, so the store is attached later.
 */
export class MissionFeed {
  private store: Pick<MissionStore, 'get'> | undefined;
  private readonly lastProgress = new Map<string, number>();
  private readonly clock: Clock;
  private readonly progressMs: number;
  private readonly log: Logger;

  constructor(
    private readonly bus: LiveBus,
    opts: MissionFeedOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.progressMs = opts.progressMs ?? DEFAULT_PROGRESS_MS;
    this.log = (opts.log ?? rootLog).child({ mod: 'mission-feed' });
  }

  /** where `progress` looks up a mission's farm */
  attach(store: Pick<MissionStore, 'get'>): void {
    this.store = store;
  }

  /** a lifecycle step of `m` (its state already the new one) */
  changed(m: MissionRecord, change: Exclude<MissionChange, 'progress'>): void {
    if (!m.farmId) return;
    const verdict = change === 'verified' ? m.verification?.verdict : undefined;
    this.bus.publish({
      type: 'mission',
      farmId: m.farmId,
      missionId: m.id,
      change,
      state: m.lifecycle.state,
      ts: this.clock.now(),
      ...(verdict ? { verdict } : {}),
    });
  }

  /** as-applied samples of `missionId` arrived; never throws (the samples are stored already) */
  async progress(missionId: string | undefined): Promise<void> {
    if (!missionId || !this.store) return;
    const now = this.clock.now();
    const last = this.lastProgress.get(missionId);
    if (last !== undefined && now - last < this.progressMs) return;
    this.lastProgress.set(missionId, now);
    // old entries would pile up over a season of flights
    if (this.lastProgress.size > 1_000)
      for (const [k, t] of this.lastProgress) if (now - t >= this.progressMs) this.lastProgress.delete(k);
    try {
      const m = await this.store.get(missionId);
      if (!m?.farmId) return;
      this.bus.publish({
        type: 'mission',
        farmId: m.farmId,
        missionId,
        change: 'progress',
        state: m.lifecycle.state,
        ts: now,
      });
    } catch (err) {
      this.log.warn({ err, missionId }, 'mission progress not published');
    }
  }
}

/** the change a stored update makes, from the state before and after; none when the state stays */
export function changeOf(before: MissionState, after: MissionState): Exclude<MissionChange, 'progress'> | null {
  if (before === after) return null;
  if (after === 'draft') return before === 'approved' ? 'cancelled' : null;
  return after;
}

/**
 * The mission store with every creation and state change published on the feed: every route that
 * plans, approves, reopens, flies or verifies (respray included) is covered without knowing of it.
 */
export function withMissionFeed(store: MissionStore, feed: MissionFeed): MissionStore {
  return {
    create: async (m) => {
      const rec = await store.create(m);
      feed.changed(rec, 'planned');
      return rec;
    },
    get: (id) => store.get(id),
    list: (...args) => store.list(...args),
    update: async (id, expectedVersion, next) => {
      const before = await store.get(id);
      const rec = await store.update(id, expectedVersion, next);
      const change = before ? changeOf(before.lifecycle.state, rec.lifecycle.state) : null;
      if (change) feed.changed(rec, change);
      return rec;
    },
  };
}
