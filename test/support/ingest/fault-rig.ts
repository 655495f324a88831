import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { topics } from '../../../protocol/index.js';
import { startInflux, type InfluxServer } from '../influx.js';
import { startMosquitto, type MosquittoServer } from '../mosquitto.js';

/**
 * What the ingest fault tests share: a private Mosquitto from the project's config (persistence
 * on), a real InfluxDB 1.6.7, a gateway publisher that numbers its messages, and a counter of
 * what landed in InfluxDB.
 */
export interface FaultRig {
  mosquitto: MosquittoServer;
  influx: InfluxServer;
  db: string;
  gatewayId: string;
  dataDir: string;
  cloudUser: { username: string; password: string };
  destroy(): Promise<void>;
}

export async function startFaultRig(): Promise<FaultRig> {
  const gatewayId = `gw-f${randomBytes(4).toString('hex')}`;
  const cloudUser = { username: 'cloud', password: 'cloud-secret' };
  const [mosquitto, influx] = await Promise.all([
    startMosquitto({ users: { [cloudUser.username]: cloudUser.password, [gatewayId]: 'gw-secret' } }),
    startInflux(),
  ]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-fault-'));
  return {
    mosquitto,
    influx,
    db: `fault_${randomBytes(3).toString('hex')}`,
    gatewayId,
    dataDir,
    cloudUser,
    destroy: async () => {
      await Promise.all([mosquitto.destroy(), influx.destroy()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const T0 = 1_764_288_000_000;

/** Message `seq` carries `perMessage` readings, sensor s{i}, value = seq, ts = T0 + seq s. */
export function telemetryMessage(bootId: string, seq: number, perMessage: number): string {
  const ts = T0 + seq * 1000;
  return JSON.stringify({
    bootId,
    seq,
    ts,
    readings: Array.from({ length: perMessage }, (_, i) => ({
      sensor: `s${i}`,
      metric: 'counter',
      value: seq,
      unit: 'n',
      ts,
    })),
  });
}

export interface Stream {
  /** messages the broker has acknowledged */
  acked(): number;
  /** resolves when every message is published and acknowledged */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** A plain gateway publisher: QoS 1, persistent session, resends what the broker did not ack. */
export async function publishStream(
  rig: FaultRig,
  opts: {
    messages: number;
    perMessage: number;
    ratePerSec: number;
    bootId?: string;
    extra?: (seq: number, c: mqtt.MqttClient) => void;
  },
): Promise<Stream> {
  const client = await mqtt.connectAsync(rig.mosquitto.url, {
    clientId: `pub-${rig.gatewayId}`,
    username: rig.gatewayId,
    password: 'gw-secret',
    clean: false,
    reconnectPeriod: 1000,
    protocolVersion: 4,
  });
  client.on('error', () => undefined);
  const bootId = opts.bootId ?? `boot${randomBytes(3).toString('hex')}`;
  let acked = 0;
  let stopped = false;
  const pending: Promise<unknown>[] = [];
  const done = (async () => {
    const started = Date.now();
    for (let seq = 0; seq < opts.messages && !stopped; seq++) {
      const due = started + (seq * 1000) / opts.ratePerSec;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      opts.extra?.(seq, client);
      pending.push(
        client
          .publishAsync(topics.telemetry(rig.gatewayId), telemetryMessage(bootId, seq, opts.perMessage), { qos: 1 })
          .then(() => {
            acked++;
          }),
      );
    }
    await Promise.all(pending);
  })();
  return {
    acked: () => acked,
    done,
    stop: async () => {
      stopped = true;
      await client.endAsync(true);
    },
  };
}

/** Points stored for the gateway, and how many distinct seqs (values) they carry. */
export async function countStored(rig: FaultRig): Promise<{ points: number; seqs: number }> {
  const res = (await rig.influx
    .query(
      rig.db,
      `SELECT count(value) AS n, count(distinct(value)) AS d FROM reading WHERE gateway = '${rig.gatewayId}'`,
    )
    .catch(() => null)) as { results?: Array<{ series?: Array<{ values: number[][] }> }> } | null;
  const row = res?.results?.[0]?.series?.[0]?.values[0];
  return { points: Number(row?.[1] ?? 0), seqs: Number(row?.[2] ?? 0) };
}

export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
