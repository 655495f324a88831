import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { topics } from '../protocol/index.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { services } from './support/services.js';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/ruongso.js');
const ok = await services.mosquittoBinary();

describe.skipIf(!ok)('ruongso broker provision, for a production Mosquitto', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-mosq-files-'));
  let broker: MosquittoServer | undefined;
  afterAll(async () => {
    await broker?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives a gateway a login that may publish its own topics and nothing else', async () => {
    const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const passwd = path.join(dir, 'passwd');
    const acl = path.join(dir, 'acl');
    const provision = async (id: string) => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'broker', 'provision', '--gateway', id, '--passwd', passwd, '--acl', acl],
        { env },
      );
      return /password (\S+)/.exec(stdout)![1]!;
    };
    const pwA = await provision('gw-mq-a');
    await provision('gw-mq-b');
    await run('mosquitto_passwd', ['-b', passwd, 'cloud', 'cloud-secret']);
    expect(fs.readFileSync(acl, 'utf8')).toMatch(/user gw-mq-a\ntopic write ruongso\/v1\/gw\/gw-mq-a\/state/);

    broker = await startMosquitto({ passwdFile: passwd, acl: fs.readFileSync(acl, 'utf8') });
    const cloud = await mqtt.connectAsync(broker.url, {
      clientId: 'cloud-t',
      username: 'cloud',
      password: 'cloud-secret',
    });
    const seen: string[] = [];
    cloud.on('message', (t) => seen.push(t));
    await cloud.subscribeAsync('ruongso/v1/#', { qos: 1 });
    const gw = await mqtt.connectAsync(broker.url, { clientId: 'gw-gw-mq-a', username: 'gw-mq-a', password: pwA });
    await gw.publishAsync(topics.telemetry('gw-mq-a'), '{}', { qos: 1 });
    await gw.publishAsync(topics.telemetry('gw-mq-b'), '{}', { qos: 1 });
    // the broker handles one client's publishes in order: once a later allowed one is through,
    // the refused one would have been too
    await gw.publishAsync(topics.event('gw-mq-a'), '{}', { qos: 1 });
    await vi.waitFor(() => expect(seen).toContain(topics.event('gw-mq-a')), { timeout: 5000 });
    expect(seen).toEqual([topics.telemetry('gw-mq-a'), topics.event('gw-mq-a')]);
    await gw.endAsync();
    await expect(
      mqtt.connectAsync(broker.url, { clientId: 'gw-bad', username: 'gw-mq-a', password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Not authorized|Bad username/i);
    await cloud.endAsync();
  }, 60_000);
});
