import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerAuth } from '../cloud/broker/auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../cloud/broker/embedded-broker.js';
import { mosquittoAcl } from '../cloud/broker/mosquitto-files.js';
import { Ingest } from '../cloud/ingest/ingest.js';
import { hashPassword } from '../cloud/registry/password.js';
import { topics } from '../protocol/index.js';
import { freePort } from '../lib/ports.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { RecordingStore } from './support/recording-store.js';
import { services } from './support/services.js';
import { until } from './support/wait.js';

const T0 = 1_764_288_000_000;
const haveMosquitto = await services.mosquittoBinary();
const MESSAGES = 300;
const ATTACKER = 'gw-thief';
const VICTIM = 'gw-victim';
const PASSWORDS: Record<string, string> = {
  cloud: 'cloud-secret',
  [ATTACKER]: 'thief-secret',
  [VICTIM]: 'victim-secret',
};

interface Counted {
  client: MqttClient;
  closes: number;
}

async function open(url: string, username: string, clientId: string): Promise<Counted> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    username,
    password: PASSWORDS[username],
    clean: false,
    reconnectPeriod: 200,
    protocolVersion: 4,
  });
  const c = { client, closes: 0 };
  client.on('close', () => {
    c.closes++;
  });
  client.on('error', () => undefined);
  return c;
}

/** The victim gateway sends MESSAGES QoS 1 messages of 2 readings while the attacker tries both sessions. */
async function attackDuringStream(
  url: string,
  ingest: Ingest,
  store: RecordingStore,
): Promise<{ victim: Counted; attempts: Array<'refused' | 'own-session'> }> {
  const victim = await open(url, VICTIM, VICTIM);
  const attempts: Array<'refused' | 'own-session'> = [];
  const sends: Promise<unknown>[] = [];
  for (let seq = 0; seq < MESSAGES; seq++) {
    const ts = T0 + seq * 1000;
    const readings = ['s1', 's2'].map((sensor) => ({
      sensor,
      metric: 'water_level',
      value: seq % 100,
      unit: 'cm',
      ts,
    }));
    sends.push(
      victim.client.publishAsync(
        topics.telemetry(VICTIM),
        JSON.stringify({ bootId: 'boot-victim', seq, ts, readings }),
        { qos: 1 },
      ),
    );
    if (seq % 15 === 0) {
      // the ingest's session, then the other gateway's, with the attacker's own valid login
      for (const target of [ingest.clientId, VICTIM]) {
        const c = await mqtt
          .connectAsync(url, {
            clientId: target,
            username: ATTACKER,
            password: PASSWORDS[ATTACKER],
            clean: false,
            reconnectPeriod: 0,
            connectTimeout: 3000,
          })
          .then(
            (cl) => cl,
            () => null,
          );
        attempts.push(c ? 'own-session' : 'refused');
        await c?.endAsync(true);
      }
    }
  }
  await Promise.all(sends);
  await until('every reading stored', () => store.count(VICTIM) >= MESSAGES * 2, 20_000);
  return { victim, attempts };
}

describe("a gateway login cannot take over another client's session", () => {
  describe('on the embedded broker', () => {
    let dir: string;
    let broker: EmbeddedBroker;
    let ingest: Ingest;
    const store = new RecordingStore();
    const kicked: string[] = [];
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-takeover-'));
      const hashes = new Map<string, string>();
      for (const id of [ATTACKER, VICTIM]) hashes.set(id, await hashPassword(PASSWORDS[id]!, { N: 1024 }));
      const auth = new BrokerAuth({
        cloudUsers: { cloud: PASSWORDS.cloud! },
        gatewayCredentialHash: async (id) => hashes.get(id) ?? null,
      });
      broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1', auth, log: undefined });
      broker.aedes.on('clientDisconnect', (c) => kicked.push(c.id));
      ingest = new Ingest({
        store,
        mqttUrl: broker.url,
        username: 'cloud',
        password: PASSWORDS.cloud,
        dataDir: dir,
        shared: false,
        subscribeDrones: false,
      });
      await ingest.start();
    });
    afterAll(async () => {
      await ingest?.stop();
      await broker?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(
      'refuses every CONNECT with a client id bound to another login, and the stream loses nothing',
      { timeout: 60_000 },
      async () => {
        expect(ingest.clientId).toBe('cloud');
        const { victim, attempts } = await attackDuringStream(broker.url, ingest, store);
        expect(attempts.length).toBeGreaterThan(30);
        expect(attempts.every((a) => a === 'refused')).toBe(true);
        expect(victim.closes).toBe(0);
        expect(kicked.filter((id) => id === VICTIM || id === 'cloud')).toEqual([]);
        expect(store.count(VICTIM)).toBe(MESSAGES * 2);
        expect(ingest.seqStats(VICTIM)!.boots[0]).toMatchObject({ missing: 0 });
        await victim.client.endAsync();
      },
    );
  });

  describe.skipIf(!haveMosquitto)('on Mosquitto from the project config with the provisioned ACL', () => {
    let dir: string;
    let broker: MosquittoServer;
    let ingest: Ingest;
    const store = new RecordingStore();
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-takeover-mq-'));
      broker = await startMosquitto({ users: PASSWORDS, acl: mosquittoAcl([ATTACKER, VICTIM]) });
      ingest = new Ingest({
        store,
        mqttUrl: broker.url,
        username: 'cloud',
        password: PASSWORDS.cloud,
        dataDir: dir,
        shared: 'auto',
        subscribeDrones: false,
      });
      await ingest.start();
    });
    afterAll(async () => {
      await ingest?.stop();
      await broker?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(
      'gives the attacker only its own session (use_username_as_clientid), and the stream loses nothing',
      { timeout: 60_000 },
      async () => {
        const { victim, attempts } = await attackDuringStream(broker.url, ingest, store);
        expect(attempts.length).toBeGreaterThan(30);
        expect(victim.closes).toBe(0);
        expect(ingest.status().connects).toBe(1);
        expect(store.count(VICTIM)).toBe(MESSAGES * 2);
        expect(ingest.seqStats(VICTIM)!.boots[0]).toMatchObject({ missing: 0 });
        await victim.client.endAsync();
      },
    );
  });
});
