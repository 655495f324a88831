import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { openDatabaseAt } from '../db/index.js';
import { createSqliteRegistry } from '../registry/sqlite-registry.js';
import { ReportFacts } from './facts.js';
import { missionFlownFact } from './mission-facts.js';
import { recordingRegistry, userActivityPlugin } from './recording.js';

async function setup() {
  const inner = createSqliteRegistry(':memory:');
  const facts = new ReportFacts(openDatabaseAt({ dialect: 'sqlite', file: ':memory:' }));
  await facts.init();
  const registry = recordingRegistry(inner, facts);
  await registry.init();
  return { registry, facts };
}

describe('recording report facts on the way into the registry', () => {
  it('records a state only when online flips, and valve runs from opened/closed events', async () => {
    const { registry, facts } = await setup();
    await registry.recordState('gw1', { online: true, bootId: 'b1', ts: 1000 }, 1000);
    await registry.recordState('gw1', { online: true, bootId: 'b1', ts: 2000 }, 2000); // no flip
    await registry.recordState('gw1', { online: false }, 3000);
    expect(await facts.states(10_000)).toEqual([
      { gatewayId: 'gw1', at: 1000, online: true },
      { gatewayId: 'gw1', at: 3000, online: false },
    ]);
    const ev = { bootId: 'b1', severity: 'info' as const, reason: 'AWD re-flood' };
    await registry.recordEvent('gw1', { ...ev, ts: 5000, kind: 'valve_opened', zone: 'z1', valve: 'v1' }, 5000);
    await registry.recordEvent('gw1', { ...ev, ts: 5000, kind: 'valve_opened', zone: 'z1', valve: 'v1' }, 5001); // QoS 1 redelivery
    await registry.recordEvent('gw1', { ...ev, ts: 9000, kind: 'valve_closed', zone: 'z1', valve: 'v1' }, 9000);
    expect(await facts.runs(0, 10_000)).toEqual([
      { gatewayId: 'gw1', zone: 'z1', valve: 'v1', openedAt: 5000, closedAt: 9000 },
    ]);
    expect((await registry.listEvents('gw1')).length).toBe(2);
  });

  it('passes every other registry call through', async () => {
    const { registry } = await setup();
    await registry.upsertUnit({ id: 'u', parentId: null, level: 'province', name: 'P' }, 't');
    expect(await registry.listUnits()).toHaveLength(1);
    expect(registry.kind).toBe('sqlite');
  });

  it('records one activity day per authenticated user', async () => {
    const facts = new ReportFacts(openDatabaseAt({ dialect: 'sqlite', file: ':memory:' }));
    await facts.init();
    const app = Fastify();
    app.decorateRequest('user', null);
    app.addHook('onRequest', async (req) => {
      if (req.headers['x-user']) (req as unknown as { user: unknown }).user = { id: String(req.headers['x-user']) };
    });
    await app.register(userActivityPlugin, { facts, clock: { now: () => Date.UTC(2026, 0, 10, 3) } });
    app.get('/x', async () => 'ok');
    await app.inject({ url: '/x', headers: { 'x-user': '7' } });
    await app.inject({ url: '/x', headers: { 'x-user': '7' } });
    await app.inject({ url: '/x' });
    expect(await facts.activity('2026-01-01', '2026-01-31')).toEqual([{ userId: '7', day: '2026-01-10' }]);
    await app.close();
  });

  it('writes a batch of facts idempotently', async () => {
    const facts = new ReportFacts(openDatabaseAt({ dialect: 'sqlite', file: ':memory:' }));
    await facts.init();
    const batch = {
      states: [
        { gatewayId: 'g', at: 1.4, online: true },
        { gatewayId: 'g', at: 2, online: false },
      ],
      runs: [{ gatewayId: 'g', zone: 'z1', valve: 'v1', openedAt: 10, closedAt: 20 }],
      missions: [{ missionId: 'm', farmId: 'f', flownAt: 5, areaHa: 1, litres: 15 }],
      activity: [
        { userId: '1', at: 0 },
        { userId: '1', at: 1000 },
      ],
    };
    await facts.recordMany(batch);
    await facts.recordMany(batch);
    expect(await facts.counts()).toEqual({ states: 2, runs: 1, missions: 1, activity: 1 });
    expect((await facts.states(100))[0]!.at).toBe(1);
  });

  it("takes a flown mission's area and litres from its verification, else from its plan", () => {
    const plan = { metrics: { sprayableAreaHa: 2, coverage: 0.98, litres: 30 } } as never;
    expect(missionFlownFact({ missionId: 'm', farmId: 'f', flownAt: 1, plan })).toMatchObject({
      areaHa: 1.96,
      litres: 30,
    });
    expect(
      missionFlownFact({
        missionId: 'm',
        farmId: 'f',
        flownAt: 1,
        plan,
        verification: { sprayableM2: 20_000, missedM2: 1_000, litresUsed: 28.5 },
      }),
    ).toMatchObject({ areaHa: 1.9, litres: 28.5 });
  });
});
