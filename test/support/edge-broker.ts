import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll } from 'vitest';
import { startMosquitto, type MosquittoServer } from './mosquitto.js';
import { Watcher } from './uplink-watch.js';

export interface EdgeBroker {
  broker: MosquittoServer;
  dataDir: string;
  /** the cloud's side: publishes configs and commands */
  cloud: MqttClient;
  watch: Watcher;
}

/**
 * A private Mosquitto (project config, gateway and cloud logins), a gateway data dir, a cloud
 * publisher and a watcher of the gateway's topics, for one describe block: started before its
 * tests, stopped after. Read the fields inside tests (they are set in beforeAll).
 */
export function useEdgeBroker(gatewayId: string, gatewayPassword = 'gw-pass'): EdgeBroker {
  const env = {} as EdgeBroker;
  const cloudLogin = { username: 'cloud', password: 'cloud-pass' };
  // a login has one client id (use_username_as_clientid): the watcher gets a service login of its own
  const watchLogin = { username: 'nodered', password: 'watch-pass' };
  beforeAll(async () => {
    env.broker = await startMosquitto({
      users: { [gatewayId]: gatewayPassword, cloud: cloudLogin.password, nodered: watchLogin.password },
    });
    env.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `uplink-${gatewayId}-`));
    env.cloud = await mqtt.connectAsync(env.broker.url, { ...cloudLogin, clientId: `cloud-pub-${gatewayId}` });
    env.watch = await Watcher.open(env.broker.url, gatewayId, watchLogin);
  });
  afterAll(async () => {
    await env.cloud?.endAsync();
    await env.watch?.close();
    await env.broker?.destroy();
    if (env.dataDir) fs.rmSync(env.dataDir, { recursive: true, force: true });
  });
  return env;
}
