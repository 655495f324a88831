import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerAuth } from '../cloud/broker/auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../cloud/broker/embedded-broker.js';
import { mosquittoAcl } from '../cloud/broker/mosquitto-files.js';
import { hashPassword } from '../cloud/registry/password.js';
import { MAX_PAYLOAD_BYTES, topics } from '../protocol/index.js';
import { freePort } from '../lib/ports.js';
import { startMosquitto, type MosquittoServer } from './support/mosquitto.js';
import { services } from './support/services.js';

const GW = 'gw-big';
const haveMosquitto = await services.mosquittoBinary();

/** The cloud side subscribes; the gateway sends one oversized message, then a small marker. */
async function sendBigThenMarker(
  url: string,
  gwPassword: string,
  cloudLogin: { username: string; password: string; clientId: string },
): Promise<string[]> {
  const cloud: MqttClient = await mqtt.connectAsync(url, { ...cloudLogin, clean: true });
  const seen: string[] = [];
  cloud.on('message', (_t, p) => seen.push(p.length > 1000 ? `big:${p.length}` : p.toString()));
  await cloud.subscribeAsync(topics.event(GW), { qos: 1 });
  const gw = await mqtt.connectAsync(url, { clientId: GW, username: GW, password: gwPassword, reconnectPeriod: 100 });
  gw.on('error', () => undefined);
  gw.publish(topics.event(GW), Buffer.alloc(MAX_PAYLOAD_BYTES + 1024, 0x61), { qos: 0 });
  // the broker may close the connection on the oversized one: the marker goes on the next
  await new Promise((r) => setTimeout(r, 300));
  await gw.publishAsync(topics.event(GW), 'marker', { qos: 1 });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (seen.includes('marker')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
  });
  await gw.endAsync(true);
  await cloud.endAsync(true);
  return seen;
}

describe('brokers refuse a message over the size limit, and go on', () => {
  let embedded: EmbeddedBroker;
  beforeAll(async () => {
    const hash = await hashPassword('gw-secret', { N: 1024 });
    const auth = new BrokerAuth({
      cloudUsers: { cloud: 'cloud-secret' },
      gatewayCredentialHash: async (id) => (id === GW ? hash : null),
    });
    embedded = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1', auth });
  });
  afterAll(async () => {
    await embedded?.close();
  });

  it('on the embedded broker', { timeout: 30_000 }, async () => {
    const seen = await sendBigThenMarker(embedded.url, 'gw-secret', {
      username: 'cloud',
      password: 'cloud-secret',
      clientId: 'cloud:test',
    });
    expect(seen).toEqual(['marker']);
  });

  describe.skipIf(!haveMosquitto)('on Mosquitto from the project config', () => {
    let mq: MosquittoServer;
    beforeAll(async () => {
      mq = await startMosquitto({ users: { cloud: 'cloud-secret', [GW]: 'gw-secret' }, acl: mosquittoAcl([GW]) });
    });
    afterAll(async () => {
      await mq?.destroy();
    });
    it('with message_size_limit', { timeout: 30_000 }, async () => {
      const seen = await sendBigThenMarker(mq.url, 'gw-secret', {
        username: 'cloud',
        password: 'cloud-secret',
        clientId: 'cloud',
      });
      expect(seen).toEqual(['marker']);
    });
  });
});
