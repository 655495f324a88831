import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from './support/memory-app.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { fixture } from '../protocol/fixtures/index.js';
import { GatewayConfig } from '../protocol/index.js';

const GW = 'gw-dai-an-1';
const zones = GatewayConfig.parse(fixture('config')).zones;
const T = Date.UTC(2026, 2, 10, 5, 0);
// a gateway running its file's initialConfig v1 says so in its birth
const birth = { online: true, bootId: 'boot-1', fw: 'ruongso-edge/0.1.0', ts: T, configVersion: 1 };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('one config version on both sides', () => {
  it('the control API numbers a new config above the version the gateway runs', async () => {
    const built = await buildMemoryApp();
    close = () => built.app.close();
    built.control.onState(GW, birth);
    const put = await built.app.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${GW}/config`,
      headers: await bearer(built.app, 'nongdan'),
      payload: { zones },
    });
    expect(put.statusCode).toBe(202);
    expect(put.json()).toMatchObject({ version: 2, status: 'pending' });
    expect(JSON.parse(built.published[0]!.payload).version).toBe(2);
  });

  it('the registry shows the version the gateway runs, and numbers the next one above it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-cfgv-'));
    const registry = createSqliteRegistry(path.join(dir, 'r.sqlite'));
    close = async () => {
      await registry.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    await registry.init();
    await registry.upsertGateway({ id: GW, farmId: null, name: null }, 'test');
    await registry.recordState(GW, birth, T);
    expect(await registry.getGateway(GW)).toMatchObject({ appliedConfigVersion: 1 });
    const v = await registry.putDesiredConfig(GW, { zones }, 'nongdan', T + 1000);
    expect(v.version).toBe(2);
  });
});
