import { afterEach, describe, expect, it } from 'vitest';
import { openDatabaseAt } from '../db/index.js';
import { SqlRegistry } from './sql-registry.js';

const open: SqlRegistry[] = [];
async function registry(): Promise<SqlRegistry> {
  const r = new SqlRegistry(openDatabaseAt({ dialect: 'sqlite', file: ':memory:' }), 'SQLite :memory:');
  open.push(r);
  await r.init();
  await r.upsertUnit({ id: 'ct', parentId: null, level: 'province', name: 'Cần Thơ' }, 'seed');
  return r;
}
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

describe('SqlRegistry', () => {
  it('audits a create and then an update with the row before and after, in order', async () => {
    const r = await registry();
    await r.upsertFarm(
      { id: 'f1', name: 'Ruộng ông Tư', owner: 'Tư', unitId: 'ct', cooperativeId: null, areaHa: 2 },
      'lan',
    );
    await r.upsertFarm(
      { id: 'f1', name: 'Ruộng ông Tư', owner: 'Tư', unitId: 'ct', cooperativeId: null, areaHa: 2.5 },
      'minh',
    );
    const audit = await r.listAudit({ entity: 'farm', entityId: 'f1' });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['update', 'minh'],
      ['create', 'lan'],
    ]);
    expect(audit[0]).toMatchObject({ before: { areaHa: 2 }, after: { areaHa: 2.5 } });
    expect(audit[1]!.before).toBeNull();
    expect(await r.getFarm('f1')).toMatchObject({ areaHa: 2.5 });
  });

  it('refuses a unit that is its own parent, storing nothing', async () => {
    const r = await registry();
    await expect(
      r.upsertUnit({ id: 'loop', parentId: 'loop', level: 'district', name: 'X' }, 'lan'),
    ).rejects.toMatchObject({ code: 'INVALID' });
    expect((await r.listUnits()).map((u) => u.id)).toEqual(['ct']);
  });

  it('audits that a gateway credential was issued but never stores the hash in the audit', async () => {
    const r = await registry();
    await r.upsertGateway({ id: 'gw-1', farmId: null, name: 'Cống 1' }, 'lan');
    await r.setGatewayCredential('gw-1', 'scrypt$secret-hash', 'lan');
    expect(await r.getGatewayCredentialHash('gw-1')).toBe('scrypt$secret-hash');
    const audit = await r.listAudit({ entity: 'gateway', entityId: 'gw-1' });
    expect(audit[0]).toMatchObject({ action: 'credential' });
    expect(JSON.stringify(audit)).not.toContain('secret-hash');
    await expect(r.setGatewayCredential('gw-nope', 'h', 'lan')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await r.listAudit({ entity: 'gateway', entityId: 'gw-nope' })).toEqual([]);
  });

  it('pages the gateway list', async () => {
    const r = await registry();
    for (const id of ['gw-a', 'gw-b', 'gw-c']) await r.upsertGateway({ id, farmId: null, name: null }, 'lan');
    expect((await r.listGateways({ limit: 2 })).map((g) => g.id)).toEqual(['gw-a', 'gw-b']);
    expect((await r.listGateways({ limit: 2, offset: 2 })).map((g) => g.id)).toEqual(['gw-c']);
  });

  it('counts a last will without a time as a change, and restarts seq on a new boot', async () => {
    const r = await registry();
    expect(await r.recordState('gw-1', { online: true, bootId: 'b1', ts: 1000 }, 1000)).toEqual({
      changed: true,
      online: true,
    });
    expect(await r.recordTelemetry('gw-1', { bootId: 'b1', seq: 1 }, 1001)).toEqual({ newBoot: true });
    expect(await r.recordTelemetry('gw-1', { bootId: 'b1', seq: 4 }, 1002)).toEqual({ newBoot: false });
    expect(await r.recordState('gw-1', { online: false }, 2000)).toEqual({ changed: true, online: false });
    await r.recordState('gw-1', { online: true, bootId: 'b2', ts: 3000 }, 3000);
    expect(await r.recordTelemetry('gw-1', { bootId: 'b2', seq: 1 }, 3001)).toEqual({ newBoot: true });
    expect(await r.getGateway('gw-1')).toMatchObject({ online: true, bootId: 'b2', lastSeq: 1 });
  });

  it('reports itself unhealthy once its database is closed', async () => {
    const r = await registry();
    expect(await r.health()).toEqual({ ok: true, kind: 'sqlite' });
    await r.close();
    expect(await r.health()).toMatchObject({ ok: false, kind: 'sqlite', detail: expect.stringContaining('closed') });
  });
});
