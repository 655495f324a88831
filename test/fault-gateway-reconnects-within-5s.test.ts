import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Uplink } from '../edge/uplink/index.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { services } from './support/services.js';

const ok = await services.mosquittoBinary();

describe.skipIf(!ok)('a gateway after a long broker outage', () => {
  let broker: MosquittoServer;
  let dataDir: string;
  let up: Uplink | undefined;
  beforeAll(async () => {
    broker = await startMosquitto({ users: { 'gw-back': 'gw-pass' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-reconnect-'));
  });
  afterAll(async () => {
    await up?.stop();
    await broker?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "is connected again within 5 s of the broker's return (capped, jittered backoff)",
    { timeout: 60_000 },
    async () => {
      // the default reconnect settings: what a deployed gateway runs with
      up = new Uplink({
        gatewayId: 'gw-back',
        url: broker.url,
        username: 'gw-back',
        password: 'gw-pass',
        dataDir,
        fw: 'test/1',
        host: { required: false },
      });
      up.start();
      await new Promise<void>((r) => up!.once('connected', () => r()));
      await broker.stop('SIGKILL');
      // long enough for an uncapped exponential backoff to reach 16 s and more
      await new Promise((r) => setTimeout(r, 15_000));
      const back = new Promise<number>((r) => up!.once('connected', () => r(Date.now())));
      const returned = Date.now();
      await broker.start();
      const at = await back;
      expect(at - returned).toBeLessThan(5500);
    },
  );
});
