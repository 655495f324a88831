import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerAuth } from '../cloud/broker/auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../cloud/broker/embedded-broker.js';
import { hashPassword } from '../cloud/registry/password.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import type { Registry } from '../cloud/registry/registry.js';
import { filters, sharedFilter, topics } from '../protocol/index.js';
import { freePort } from '../lib/ports.js';

const suffix = randomBytes(3).toString('hex');
const gw1 = `gw-auth-a-${suffix}`;
const gw2 = `gw-auth-b-${suffix}`;

function connect(url: string, username: string, password: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      clientId: username === 'cloud' ? `cloud:${randomBytes(3).toString('hex')}` : username,
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
  });
}

function nextMessage(c: MqttClient, ms = 1500): Promise<{ topic: string; payload: string } | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      c.off('message', on);
      resolve(null);
    }, ms);
    const on = (topic: string, payload: Buffer) => {
      clearTimeout(t);
      c.off('message', on);
      resolve({ topic, payload: payload.toString() });
    };
    c.on('message', on);
  });
}

describe('embedded broker with per-gateway credentials from the registry', () => {
  let dir: string;
  let registry: Registry;
  let broker: EmbeddedBroker;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-broker-'));
    registry = createSqliteRegistry(path.join(dir, 'ruongso.sqlite'));
    await registry.init();
    for (const id of [gw1, gw2]) {
      await registry.upsertGateway({ id, farmId: null, name: null }, 'test');
      await registry.setGatewayCredential(id, await hashPassword(`secret-${id}`, { N: 1024 }), 'test');
    }
    const auth = new BrokerAuth({
      cloudUsers: { cloud: 'cloud-pass' },
      gatewayCredentialHash: (id) => registry.getGatewayCredentialHash(id),
    });
    broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1', auth });
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker?.close();
    await registry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = async (u: string, p: string) => {
    const c = await connect(broker.url, u, p);
    clients.push(c);
    return c;
  };

  it('refuses a wrong secret and an unknown gateway', async () => {
    await expect(connect(broker.url, gw1, 'nope')).rejects.toThrow(/Bad username or password|not authorized/i);
    await expect(connect(broker.url, 'gw-unknown', 'x')).rejects.toThrow();
  });

  it("carries a gateway's telemetry to the cloud, and the cloud's command to that gateway only", async () => {
    const cloud = await open('cloud', 'cloud-pass');
    await cloud.subscribeAsync(filters.gatewayUplink, { qos: 1 });
    const a = await open(gw1, `secret-${gw1}`);
    const b = await open(gw2, `secret-${gw2}`);
    const got = nextMessage(cloud);
    await a.publishAsync(topics.telemetry(gw1), '{"hello":1}', { qos: 1 });
    expect(await got).toEqual({ topic: topics.telemetry(gw1), payload: '{"hello":1}' });

    await a.subscribeAsync(filters.gatewayDownlink(gw1), { qos: 1 });
    // mqtt.js reports a refused filter (SUBACK 0x80) as an error
    await expect(b.subscribeAsync(filters.gatewaySubtree(gw1), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await b.subscribeAsync(filters.gatewaySubtree(gw2), { qos: 1 });
    const toA = nextMessage(a);
    const toB = nextMessage(b, 500);
    await cloud.publishAsync(topics.cmd(gw1), '{"cmd":1}', { qos: 1 });
    expect((await toA)?.topic).toBe(topics.cmd(gw1));
    expect(await toB).toBeNull();
  });

  it('cuts off a gateway that publishes as another gateway, and the message goes nowhere', async () => {
    const cloud = await open('cloud', 'cloud-pass');
    await cloud.subscribeAsync(filters.gatewayUplink, { qos: 1 });
    const a = await open(gw1, `secret-${gw1}`);
    const closed = new Promise<void>((r) => a.once('close', () => r()));
    const got = nextMessage(cloud, 700);
    a.publish(topics.telemetry(gw2), '{"spoof":1}', { qos: 0 });
    await closed;
    expect(await got).toBeNull();
  });

  it('has no shared subscriptions: a $share filter receives nothing, a plain one does', async () => {
    const cloud = await open('cloud', 'cloud-pass');
    await cloud.subscribeAsync(sharedFilter('ingest', `ruongso/v1/gw/+/event`), { qos: 1 });
    const a = await open(gw1, `secret-${gw1}`);
    const got = nextMessage(cloud, 700);
    await a.publishAsync(topics.event(gw1), '{}', { qos: 1 });
    expect(await got).toBeNull();
    await cloud.subscribeAsync('ruongso/v1/gw/+/event', { qos: 1 });
    const plain = nextMessage(cloud);
    await a.publishAsync(topics.event(gw1), '{}', { qos: 1 });
    expect((await plain)?.topic).toBe(topics.event(gw1));
  });

  it('names the port and the variable that moves it when the port is taken', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', () => r()));
    try {
      await expect(startEmbeddedBroker({ port, host: '127.0.0.1' })).rejects.toThrow(
        `MQTT_PORT ${port} is already in use — set MQTT_PORT to a free port, or MQTT_URL to use that broker`,
      );
    } finally {
      holder.close();
    }
  });
});
