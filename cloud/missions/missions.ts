import { MissionError } from './errors.js';
import { newLifecycle, transition, type MissionAction, type TransitionInput } from './lifecycle.js';
import type { MissionRecord, MissionStore } from './store.js';
import type { Plan } from './types.js';
import type { VerificationReport } from './verify.js';

/**
 * Thin use-cases over a MissionStore: what the API routes call. Lifecycle rules stay in
 * lifecycle.ts; this only loads, applies and saves with optimistic concurrency.
 */
export async function createMission(
  store: MissionStore,
  m: {
    id: string;
    plan: Plan;
    params: Record<string, unknown>;
    by: string;
    at: number;
    fieldId?: string;
    farmId?: string;
    name?: string;
    droneId?: string;
  },
): Promise<MissionRecord> {
  return store.create({
    id: m.id,
    fieldId: m.fieldId,
    farmId: m.farmId,
    name: m.name,
    droneId: m.droneId,
    params: m.params,
    plan: m.plan,
    lifecycle: newLifecycle(m.by, m.at),
    createdAt: m.at,
    updatedAt: m.at,
  });
}

export async function actOnMission(
  store: MissionStore,
  id: string,
  action: MissionAction,
  input: TransitionInput & { verification?: VerificationReport; droneId?: string },
): Promise<MissionRecord> {
  const cur = await store.get(id);
  if (!cur) throw new MissionError('MISSION_NOT_FOUND', `mission ${id} does not exist`);
  if (action === 'verify' && !input.verification && !cur.verification) {
    throw new MissionError('MISSION_INVALID_TRANSITION', 'verify needs a verification report of the as-applied log');
  }
  const lifecycle = transition(cur.lifecycle, action, input);
  const { id: _id, version, ...rest } = cur;
  return store.update(id, version, {
    ...rest,
    lifecycle,
    verification: input.verification ?? cur.verification,
    droneId: input.droneId ?? cur.droneId,
    updatedAt: input.at,
  });
}
