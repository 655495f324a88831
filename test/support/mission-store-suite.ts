import { expect, it } from 'vitest';
import { MissionError } from '../../cloud/missions/errors.js';
import { actOnMission, createMission } from '../../cloud/missions/missions.js';
import type { MissionStore } from '../../cloud/missions/store.js';
import type { Plan } from '../../cloud/missions/types.js';
import { checkWeather } from '../../cloud/missions/weather.js';

/** The suite every MissionStore adapter must pass (SQLite, PostgreSQL, memory). */
export function missionStoreSuite(make: () => MissionStore | Promise<MissionStore>): void {
  const plan = { kind: 'ruongso-spray-plan', version: 1, legs: [], metrics: { litres: 1 } } as unknown as Plan;
  const id = () => `m-${Math.random().toString(36).slice(2, 10)}`;

  it('creates, reads back and lists a mission as a draft', async () => {
    const store = await make();
    const m = await createMission(store, {
      id: id(),
      plan,
      params: { swathM: 6 },
      by: 'lan',
      at: 1_000,
      fieldId: 'f1',
    });
    expect(m.version).toBe(1);
    expect((await store.get(m.id))?.lifecycle.state).toBe('draft');
    expect((await store.list({ fieldId: 'f1' })).map((r) => r.id)).toContain(m.id);
    expect(await store.get('nope')).toBeNull();
  });

  it('moves a mission through its lifecycle and keeps who did what', async () => {
    const store = await make();
    const m = await createMission(store, { id: id(), plan, params: {}, by: 'lan', at: 1 });
    await actOnMission(store, m.id, 'approve', {
      by: 'minh',
      at: 2,
      weather: checkWeather({ windMps: 1 }, { name: 'p', maxWindMps: 5 }),
    });
    const flown = await actOnMission(store, m.id, 'fly', { by: 'drone-1', at: 3 });
    expect(flown.lifecycle.state).toBe('flown');
    expect(flown.version).toBe(3);
    expect((await store.list({ state: 'flown' })).map((r) => r.id)).toContain(m.id);
  });

  it('refuses a stale update with MISSION_CONFLICT', async () => {
    const store = await make();
    const m = await createMission(store, { id: id(), plan, params: {}, by: 'lan', at: 1 });
    const { id: mid, version: _v, ...rest } = m;
    await store.update(mid, 1, { ...rest, updatedAt: 2 });
    await expect(store.update(mid, 1, { ...rest, updatedAt: 3 })).rejects.toMatchObject({ code: 'MISSION_CONFLICT' });
    await expect(store.create({ ...rest, id: mid })).rejects.toBeInstanceOf(MissionError);
  });

  it('lists by farm, newest first, and keeps the drone that flew it', async () => {
    const store = await make();
    const farm = `farm-${id()}`;
    const a = await createMission(store, { id: id(), plan, params: {}, by: 'lan', at: 10, farmId: farm });
    const b = await createMission(store, { id: id(), plan, params: {}, by: 'lan', at: 20, farmId: farm });
    await createMission(store, { id: id(), plan, params: {}, by: 'lan', at: 30, farmId: `${farm}-other` });
    expect((await store.list({ farmIds: [farm] })).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await store.list({ farmIds: [] })).toEqual([]);
    await actOnMission(store, a.id, 'approve', {
      by: 'minh',
      at: 21,
      weather: checkWeather({ windMps: 1 }, { name: 'p', maxWindMps: 5 }),
    });
    await actOnMission(store, a.id, 'fly', { by: 'minh', at: 22, droneId: 'd-7' });
    const back = await store.get(a.id);
    expect(back).toMatchObject({ droneId: 'd-7', farmId: farm, version: 3 });
    expect(back!.lifecycle.history.map((e) => [e.action, e.by])).toEqual([
      ['create', 'lan'],
      ['approve', 'minh'],
      ['fly', 'minh'],
    ]);
  });
}
