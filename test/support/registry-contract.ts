import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../protocol/fixtures/index.js';
import { GatewayEvent, type CommandAck, type ConfigAck, type GatewayState } from '../../protocol/index.js';
import { RegistryError } from '../../cloud/registry/errors.js';
import { RegistryUserStore } from '../../cloud/auth/registry-adapters.js';
import type { Registry } from '../../cloud/registry/registry.js';
import { EVENTS_KEPT_PER_GATEWAY } from '../../cloud/registry/registry.js';

/**
 * The one test suite every registry adapter passes. `make` returns a fresh, migrated-or-not
 * registry and a cleanup that removes what it created.
 */
export function registryContract(
  name: string,
  make: () => Promise<{ registry: Registry; cleanup: () => Promise<void> }>,
) {
  describe(`registry contract: ${name}`, () => {
    let r: Registry;
    let cleanup: () => Promise<void>;
    const T0 = 1_764_288_000_000;
    const birth = fixture<GatewayState>('state-birth');
    const will = fixture<GatewayState>('state-will');

    beforeAll(async () => {
      ({ registry: r, cleanup } = await make());
      await r.init();
      await r.upsertUnit({ id: 'ct', parentId: null, level: 'province', name: 'Cần Thơ' }, 'test');
      await r.upsertUnit({ id: 'ct-tn', parentId: 'ct', level: 'district', name: 'Thới Lai' }, 'test');
      await r.upsertUnit({ id: 'dai-an-2', parentId: 'ct-tn', level: 'commune', name: 'Đại Ân 2' }, 'test');
      await r.upsertUnit({ id: 'dai-an-2-a', parentId: 'dai-an-2', level: 'hamlet', name: 'Ấp Phú Giao' }, 'test');
      await r.upsertFarm(
        {
          id: 'farm-a',
          name: 'Ruộng ông Tư',
          owner: 'Nguyễn Văn Tư',
          unitId: 'dai-an-2-a',
          cooperativeId: null,
          areaHa: 2.5,
        },
        'test',
      );
      await r.upsertGateway({ id: 'gw-a', farmId: 'farm-a', name: 'Cống A' }, 'test');
    });
    afterAll(async () => {
      await r?.close();
      await cleanup?.();
    });

    it('migrates twice without harm', async () => {
      await r.init();
      expect((await r.listUnitLevels()).map((l) => l.level)).toEqual(['province', 'district', 'commune', 'hamlet']);
    });

    it('reports itself healthy', async () => {
      expect(await r.health()).toMatchObject({ ok: true, kind: r.kind });
    });

    it('shows a gateway with its farm and the units above it, nearest first', async () => {
      const gw = await r.getGateway('gw-a');
      expect(gw).toMatchObject({
        id: 'gw-a',
        name: 'Cống A',
        online: false,
        farm: { id: 'farm-a', name: 'Ruộng ông Tư', areaHa: 2.5 },
      });
      expect(gw!.units.map((u) => u.level)).toEqual(['hamlet', 'commune', 'district', 'province']);
      expect(await r.getGateway('nope')).toBeNull();
    });

    it('refuses a farm in a unit that does not exist, and keeps nothing of it', async () => {
      await expect(
        r.upsertFarm(
          { id: 'farm-x', name: 'x', owner: null, unitId: 'no-such-unit', cooperativeId: null, areaHa: null },
          'test',
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await r.getFarm('farm-x')).toBeNull();
      expect(await r.listAudit({ entity: 'farm', entityId: 'farm-x' })).toEqual([]);
    });

    it('counts one state change per outage, however often the state repeats', async () => {
      expect(await r.recordState('gw-a', birth, T0)).toEqual({ changed: true, online: true });
      expect(await r.recordState('gw-a', birth, T0 + 5)).toEqual({ changed: false, online: true });
      expect(await r.recordState('gw-a', will, T0 + 10)).toEqual({ changed: true, online: false });
      expect(await r.recordState('gw-a', will, T0 + 11)).toEqual({ changed: false, online: false });
      const gw = (await r.getGateway('gw-a'))!;
      expect(gw).toMatchObject({
        online: false,
        onlineChangedAt: T0 + 10,
        bootId: birth.bootId,
        fw: birth.fw,
        appliedConfigVersion: 3,
      });
      expect(gw.inventory?.valves).toEqual(birth.inventory?.valves);
    });

    it('ignores a birth older than the last one', async () => {
      await r.recordState('gw-a', { ...birth, ts: T0 + 100 }, T0 + 100);
      expect(await r.recordState('gw-a', { ...birth, online: false, ts: T0 + 50 }, T0 + 101)).toEqual({
        changed: false,
        online: true,
      });
    });

    it('registers an unknown gateway on first contact, unassigned', async () => {
      await r.recordTelemetry('gw-new', { bootId: 'boot0001', seq: 0 }, T0);
      expect(await r.getGateway('gw-new')).toMatchObject({ id: 'gw-new', farm: null, lastSeq: 0, lastSeen: T0 });
    });

    it("keeps the highest seq of the current boot, and starts over on a new boot (gaps are the seq tracker's)", async () => {
      const id = 'gw-seq';
      expect(await r.recordTelemetry(id, { bootId: 'boot-one', seq: 5 }, T0)).toEqual({ newBoot: true });
      expect(await r.recordTelemetry(id, { bootId: 'boot-one', seq: 9 }, T0 + 1)).toEqual({ newBoot: false });
      expect(await r.recordTelemetry(id, { bootId: 'boot-one', seq: 7 }, T0 + 2)).toEqual({ newBoot: false });
      expect(await r.getGateway(id)).toMatchObject({ lastSeq: 9, bootId: 'boot-one' });
      expect(await r.recordTelemetry(id, { bootId: 'boot-two', seq: 0 }, T0 + 4)).toEqual({ newBoot: true });
      expect(await r.getGateway(id)).toMatchObject({ lastSeq: 0, bootId: 'boot-two', lastSeen: T0 + 4 });
      expect(await r.getGateway(id)).not.toHaveProperty('seqGaps');
    });

    it('keeps lastSeen at the latest receipt when an older message of the same boot lands late', async () => {
      const id = 'gw-late';
      expect(await r.recordTelemetry(id, { bootId: 'boot-late', seq: 1 }, T0 + 10)).toEqual({ newBoot: true });
      expect(await r.recordTelemetry(id, { bootId: 'boot-late', seq: 2 }, T0 + 5)).toEqual({ newBoot: false });
      expect(await r.getGateway(id)).toMatchObject({ lastSeq: 2, lastSeen: T0 + 10 });
      expect(await r.recordTelemetry(id, { bootId: 'boot-late', seq: 3 }, T0 + 20)).toEqual({ newBoot: false });
      expect(await r.getGateway(id)).toMatchObject({ lastSeq: 3, lastSeen: T0 + 20 });
      // a birth of another boot clears the seq: its first message is a new boot
      await r.recordState(id, { online: true, bootId: 'boot-next', ts: T0 + 30 }, T0 + 30);
      expect(await r.recordTelemetry(id, { bootId: 'boot-next', seq: 8 }, T0 + 31)).toEqual({ newBoot: true });
      expect(await r.getGateway(id)).toMatchObject({ lastSeq: 8, bootId: 'boot-next', lastSeen: T0 + 31 });
    });

    it('loses no update when many messages of one gateway land at once', async () => {
      const id = 'gw-burst';
      await Promise.all(
        Array.from({ length: 20 }, (_, seq) => r.recordTelemetry(id, { bootId: 'boot-burst', seq }, T0 + seq)),
      );
      const gw = (await r.getGateway(id))!;
      expect(gw.lastSeq).toBe(19);
      expect(gw.lastSeen).toBe(T0 + 19);
      await Promise.all([1, 2, 3].map((v) => r.putDesiredConfig(id, { v }, 'tech', T0)));
      expect((await r.listConfigs(id)).map((c) => c.version)).toEqual([3, 2, 1]);
    });

    it("versions desired configs and records the gateway's applied or rejected answer", async () => {
      const v1 = await r.putDesiredConfig('gw-a', { zones: [] }, 'tech1', T0);
      const v2 = await r.putDesiredConfig('gw-a', { zones: [{ id: 'z1' }] }, 'tech1', T0 + 1);
      expect(v2.version).toBe(v1.version + 1);
      const rejected = fixture<ConfigAck>('config-ack-rejected');
      expect(await r.recordConfigAck('gw-a', { ...rejected, version: v2.version }, T0 + 2)).toEqual({ known: true });
      const [latest, older] = await r.listConfigs('gw-a');
      expect(latest).toMatchObject({
        version: v2.version,
        status: 'rejected',
        reasons: rejected.reasons,
        createdBy: 'tech1',
      });
      expect(older).toMatchObject({ version: v1.version, status: 'superseded' });
      await r.recordConfigAck('gw-a', { version: v1.version, status: 'applied', ts: T0 + 3 }, T0 + 3);
      expect(await r.getGateway('gw-a')).toMatchObject({
        desiredConfigVersion: v2.version,
        appliedConfigVersion: v1.version,
      });
      const audit = await r.listAudit({ entity: 'gateway', entityId: 'gw-a' });
      expect(audit[0]).toMatchObject({
        actor: 'tech1',
        action: 'config',
        before: { zones: [] },
        after: { zones: [{ id: 'z1' }] },
      });
    });

    it('refuses a config for a gateway it does not know', async () => {
      await expect(r.putDesiredConfig('gw-ghost', {}, 'tech1', T0)).rejects.toBeInstanceOf(RegistryError);
    });

    it('keeps commands with their acknowledged outcome and refuses a reused id', async () => {
      const cmd = {
        id: `cmd-${r.kind}`,
        gatewayId: 'gw-a',
        kind: 'open',
        payload: { valve: 'v1', minutes: 10 },
        expiresAt: T0 + 60_000,
      };
      await r.createCommand(cmd, 'farmer1', T0);
      await expect(r.createCommand(cmd, 'farmer1', T0)).rejects.toMatchObject({ code: 'CONFLICT' });
      const ack = { ...fixture<CommandAck>('cmd-ack'), id: cmd.id };
      expect(await r.recordCommandAck('gw-a', ack, T0 + 1)).toEqual({ known: true });
      expect(await r.recordCommandAck('gw-seq', ack, T0 + 1)).toEqual({ known: false });
      expect(await r.getCommand(cmd.id)).toMatchObject({
        status: 'done',
        ackedAt: ack.ts,
        createdBy: 'farmer1',
        payload: cmd.payload,
      });
      expect((await r.listCommands('gw-a')).map((c) => c.id)).toContain(cmd.id);
    });

    it('stores an event once however often it is redelivered, and keeps only the last ones', async () => {
      const ev = GatewayEvent.parse(fixture('event-opened'));
      expect(await r.recordEvent('gw-ev', ev, T0)).toEqual({ stored: true });
      expect(await r.recordEvent('gw-ev', ev, T0 + 1)).toEqual({ stored: false });
      for (let i = 1; i <= EVENTS_KEPT_PER_GATEWAY + 5; i++)
        await r.recordEvent('gw-ev', { ...ev, ts: ev.ts + i, seq: i }, T0 + i);
      const events = await r.listEvents('gw-ev', 1000);
      expect(events).toHaveLength(EVENTS_KEPT_PER_GATEWAY);
      expect(events[0]).toMatchObject({
        gatewayId: 'gw-ev',
        kind: 'valve_opened',
        reason: ev.reason,
        seq: EVENTS_KEPT_PER_GATEWAY + 5,
      });
    });

    it('keeps users with a role and scope, found by username or phone, and never a second with one phone', async () => {
      const u = await r.createUser(
        { username: 'tu', phone: '0901234567', role: 'farmer', farmId: 'farm-a', passwordHash: 'scrypt$x' },
        'admin',
        T0,
      );
      expect(u).toMatchObject({ username: 'tu', name: 'tu', role: 'farmer', farmIds: ['farm-a'], disabled: false });
      expect(typeof u.id).toBe('string');
      expect((await r.findUserForLogin('0901234567'))?.user.id).toBe(u.id);
      expect((await r.findUserForLogin('tu'))?.passwordHash).toBe('scrypt$x');
      expect(u.phone).toBe('+84901234567');
      expect((await r.findUserForLogin('+84 90 123 4567'))?.user.id).toBe(u.id);
      await expect(
        r.createUser({ username: 'tu2', phone: '0901234567', role: 'farmer', passwordHash: 'h' }, 'admin', T0),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        r.createUser({ username: 'tu3', phone: '+84 901234567', role: 'farmer', passwordHash: 'h' }, 'admin', T0),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        r.createUser({ username: 'tu4', phone: '12345', role: 'farmer', passwordHash: 'h' }, 'admin', T0),
      ).rejects.toMatchObject({ code: 'INVALID', context: { field: 'phone' } });
      await expect(
        r.createUser({ username: 'bad', role: 'king' as 'admin', passwordHash: 'h' }, 'admin', T0),
      ).rejects.toBeTruthy();
      expect((await r.listUsers()).map((x) => x.username)).toContain('tu');
    });

    it('scopes a user to several farms and units', async () => {
      await r.upsertFarm(
        { id: 'farm-a2', name: 'Ruộng thứ hai', owner: null, unitId: 'dai-an-2', cooperativeId: null, areaHa: 1 },
        'test',
      );
      const u = await r.createUser(
        {
          username: 'nam',
          role: 'farmer',
          farmIds: ['farm-a', 'farm-a2'],
          unitIds: ['dai-an-2', 'ct-tn'],
          passwordHash: 'h',
        },
        'admin',
        T0,
      );
      expect(u).toMatchObject({ farmIds: ['farm-a', 'farm-a2'], communes: ['dai-an-2', 'ct-tn'] });
      expect((await r.getUser(u.id))?.farmIds).toEqual(['farm-a', 'farm-a2']);
      await expect(
        r.createUser({ username: 'ghost', role: 'farmer', farmIds: ['farm-nowhere'], passwordHash: 'h' }, 'admin', T0),
      ).rejects.toMatchObject({ code: 'INVALID', context: { field: 'farmIds' } });
      await expect(
        r.createUser(
          { username: 'ghost', role: 'technician', cooperativeId: 'htx-nowhere', passwordHash: 'h' },
          'admin',
          T0,
        ),
      ).rejects.toMatchObject({ code: 'INVALID', context: { field: 'cooperativeId' } });
      expect(await r.findUserForLogin('ghost')).toBeNull();
    });

    it('keeps every farm and unit of a user through the accounts store, on create, read, list and edit', async () => {
      await r.upsertFarm(
        { id: 'farm-a3', name: 'Ruộng thứ ba', owner: null, unitId: 'dai-an-2-a', cooperativeId: null, areaHa: 3 },
        'test',
      );
      const store = new RegistryUserStore(r, new Set(['bahai']));
      const made = await store.create({
        username: 'bahai',
        name: 'Ba Hai',
        role: 'farmer',
        farmIds: ['farm-a3', 'farm-a', 'farm-a2'],
        // a unit by its id, another by its one name
        communes: ['ct-tn', 'Đại Ân 2'],
        passwordHash: 'scrypt$bahai',
      });
      const want = {
        id: made.id,
        username: 'bahai',
        name: 'Ba Hai',
        role: 'farmer',
        farmIds: ['farm-a3', 'farm-a', 'farm-a2'],
        communes: ['ct-tn', 'dai-an-2'],
        demo: true,
        disabled: false,
      };
      expect(made).toMatchObject({ ...want, passwordHash: 'scrypt$bahai' });
      expect(await store.findByLogin('bahai')).toMatchObject({ ...want, passwordHash: 'scrypt$bahai' });
      expect(await store.get(made.id)).toMatchObject(want);
      expect((await store.list()).find((x) => x.id === made.id)).toMatchObject(want);
      // the registry hands out the same model
      const { demo: _demo, ...fromRegistry } = want;
      expect(await r.getUser(made.id)).toMatchObject(fromRegistry);
      const edited = await store.update(made.id, { farmIds: ['farm-a2', 'farm-a3'], communes: ['dai-an-2'] });
      expect(edited).toMatchObject({ ...want, farmIds: ['farm-a2', 'farm-a3'], communes: ['dai-an-2'] });
      expect(await store.get(made.id)).toMatchObject({ farmIds: ['farm-a2', 'farm-a3'], communes: ['dai-an-2'] });
      expect(await store.get('bahai')).toBeUndefined();
    });

    it("edits a user's scopes as given, audits old and new, and ends every session on deactivation", async () => {
      const u = (await r.findUserForLogin('nam'))!.user;
      const edited = await r.updateUser(
        u.id,
        { farmIds: ['farm-a2'], unitIds: ['dai-an-2'], displayName: 'Nam' },
        'admin',
        T0 + 1,
      );
      expect(edited).toMatchObject({
        id: u.id,
        farmIds: ['farm-a2'],
        communes: ['dai-an-2'],
        name: 'Nam',
        disabled: false,
      });
      expect((await r.listAudit({ entity: 'user', entityId: String(u.id) }))[0]).toMatchObject({
        action: 'update',
        before: { farmIds: ['farm-a', 'farm-a2'] },
        after: { farmIds: ['farm-a2'] },
      });
      await expect(r.updateUser(u.id, { farmIds: ['farm-nowhere'] }, 'admin', T0)).rejects.toMatchObject({
        code: 'INVALID',
      });
      expect((await r.getUser(u.id))?.farmIds).toEqual(['farm-a2']);
      await r.putSession({ tokenHash: 'th-nam', userId: u.id, createdAt: T0, expiresAt: T0 + 1e9 });
      expect(await r.updateUser(u.id, { disabled: true }, 'admin', T0 + 2)).toMatchObject({ disabled: true });
      expect(await r.getSession('th-nam')).toBeNull();
      expect((await r.listAudit({ entity: 'user', entityId: String(u.id) }))[0]).toMatchObject({
        action: 'deactivate',
      });
      await expect(r.updateUser('999999', { disabled: true }, 'admin', T0)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(r.updateUser('nam', { disabled: true }, 'admin', T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await r.getUser('u-1')).toBeNull();
    });

    it('keeps sessions by token hash, ends them on a password change, and prunes expired ones', async () => {
      const u = (await r.findUserForLogin('tu'))!.user;
      await r.putSession({ tokenHash: 'th-1', userId: u.id, createdAt: T0, expiresAt: T0 + 1000 });
      await r.putSession({ tokenHash: 'th-2', userId: u.id, createdAt: T0, expiresAt: T0 + 10 });
      expect(await r.getSession('th-1')).toEqual({
        tokenHash: 'th-1',
        userId: u.id,
        createdAt: T0,
        expiresAt: T0 + 1000,
      });
      expect(await r.pruneSessions(T0 + 100)).toBe(1);
      expect(await r.getSession('th-2')).toBeNull();
      await r.setUserPassword(u.id, 'scrypt$new', 'tu');
      expect(await r.getSession('th-1')).toBeNull();
      expect((await r.findUserForLogin('tu'))?.passwordHash).toBe('scrypt$new');
      expect((await r.listAudit({ entity: 'user', entityId: String(u.id) }))[0]).toMatchObject({
        action: 'password',
        before: null,
        after: null,
      });
      await expect(r.setUserPassword('999999', 'h', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        r.putSession({ tokenHash: 'th-3', userId: '999999', createdAt: T0, expiresAt: T0 + 1 }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('takes audit rows for changes made elsewhere', async () => {
      await r.appendAudit({
        at: T0,
        actor: 'tech1',
        action: 'approve',
        entity: 'mission',
        entityId: 'm-1',
        before: { status: 'draft' },
        after: { status: 'approved' },
      });
      expect((await r.listAudit({ entity: 'mission', entityId: 'm-1' }))[0]).toMatchObject({
        actor: 'tech1',
        before: { status: 'draft' },
        after: { status: 'approved' },
      });
    });

    it('stores a gateway credential hash and audits that it was issued, not what it is', async () => {
      await r.setGatewayCredential('gw-a', 'scrypt$hash', 'tech1');
      expect(await r.getGatewayCredentialHash('gw-a')).toBe('scrypt$hash');
      expect(JSON.stringify(await r.listAudit({ entityId: 'gw-a' }))).not.toContain('scrypt$hash');
      await expect(r.setGatewayCredential('gw-ghost', 'h', 'tech1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
