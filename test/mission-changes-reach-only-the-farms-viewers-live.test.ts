import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemoryAuditLog,
  MemoryFarmDirectory,
  MemorySessionStore,
  MemoryUserStore,
} from '../cloud/auth/memory-stores.js';
import { seedUsers } from '../cloud/auth/seed.js';
import { DEMO_FARMS, bearer, demoFields, registerFeatures } from './support/memory-app.js';
import { MemoryCommandStore, MemoryConfigStore, MemoryEventStore } from '../cloud/control/stores.js';
import { MemoryLiveBus } from '../cloud/control/bus.js';
import { DEMO_CATALOG } from '../cloud/missions/catalog.js';
import { MissionFeed } from '../cloud/missions/live.js';
import { withAsAppliedLog } from '../cloud/missions/as-applied.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';
import type { Clock } from '../lib/time.js';

/**
 * The mission routes wired as cloud/app.ts does (the store behind the live feed, the feed on the
 * control service's bus): the stream tells the cooperative's technician of an approval and
 * keeps it from a farmer of another farm.
 */
let app: FastifyInstance | undefined;
const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function build(clock: Clock = { now: () => Date.now() }): Promise<{ app: FastifyInstance; feed: MissionFeed }> {
  const users = new MemoryUserStore();
  await seedUsers(users, { mode: 'demo', farms: DEMO_FARMS });
  const bus = new MemoryLiveBus();
  const feed = new MissionFeed(bus, { clock });
  const a = Fastify({ logger: false });
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  await registerFeatures(a, {
    auth: {
      users,
      sessions: new MemorySessionStore(),
      audit: new MemoryAuditLog(),
      farms: new MemoryFarmDirectory(DEMO_FARMS),
      clock,
      routes: { loginMax: 1000 },
    },
    control: {
      stores: { configs: new MemoryConfigStore(), commands: new MemoryCommandStore(), events: new MemoryEventStore() },
      bus,
      clock,
    },
    missions: { catalog: DEMO_CATALOG, seedFields: demoFields(DEMO_FARMS), feed, clock },
  });
  await a.ready();
  return { app: a, feed };
}

/** reads an SSE response until `until` appears in it */
async function readUntil(res: Response, until: string): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return text;
}

describe('mission events on the live stream', () => {
  it("tells the cooperative's technician of an approval and not a farmer of another farm", async () => {
    app = (await build()).app;
    const tech = await bearer(app, 'kythuat');
    const otherFarmer = await bearer(app, 'nongdan2');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const techStream = await fetch(`${address}/api/v1/stream`, { headers: tech, signal: ctrl.signal });
    const farmerStream = await fetch(`${address}/api/v1/stream`, { headers: otherFarmer, signal: ctrl.signal });
    try {
      const planned = await app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-30l', productId: 'tricyclazole' },
      });
      expect(planned.statusCode).toBe(201);
      const id = planned.json().id as string;
      expect(
        (
          await app.inject({
            method: 'POST',
            url: `/api/v1/missions/${id}/approve`,
            headers: tech,
            payload: { windMps: 2, rainProbability: 0.1 },
          })
        ).statusCode,
      ).toBe(200);
      // a mission on the second farmer's own farm: the marker that their stream has caught up
      const own = await app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-2', droneId: 'drone-30l', productId: 'tricyclazole' },
      });
      expect(own.statusCode).toBe(201);

      const techText = await readUntil(techStream, '"change":"approved"');
      const approved = techText.split('\n\n').find((b) => b.includes('"change":"approved"'))!;
      expect(approved).toContain('event: mission');
      expect(JSON.parse(approved.split('data: ')[1]!)).toMatchObject({
        type: 'mission',
        farmId: 'farm-dai-an-1',
        missionId: id,
        change: 'approved',
        state: 'approved',
      });
      expect(techText).toContain(`"missionId":"${id}","change":"planned"`);

      const farmerText = await readUntil(farmerStream, own.json().id as string);
      expect(farmerText).toContain('"farmId":"farm-dai-an-2"');
      expect(farmerText).not.toContain(id);
      expect(farmerText).not.toContain('farm-dai-an-1');
    } finally {
      ctrl.abort();
    }
  });

  it("turns a drone's as-applied samples into at most one progress event per mission in 5 s", async () => {
    let now = Date.now();
    const built = await build({ now: () => now });
    app = built.app;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-live-'));
    const telemetry = new SqliteTelemetryStore({ file: path.join(dir, 't.sqlite') });
    await telemetry.init();
    cleanup.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => telemetry.close(),
    );
    const none = () => undefined;
    // as cloud/server.ts wires the ingest's sink
    const sink = withAsAppliedLog(
      { onState: none, onTelemetry: none, onEvent: none, onConfigAck: none, onCmdAck: none },
      telemetry,
      { onRecorded: (_d, msg) => void built.feed.progress(msg.missionId) },
    );
    const tech = await bearer(app, 'kythuat');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const stream = await fetch(`${address}/api/v1/stream`, { headers: tech, signal: ctrl.signal });
    try {
      const planned = await app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-1', droneId: 'drone-30l', productId: 'tricyclazole' },
      });
      const id = planned.json().id as string;
      const sample = (ts: number) => ({
        ts,
        lat: 9.55,
        lon: 106.15,
        alt: 3,
        speed: 5,
        flowLpm: 2,
        spraying: true,
        tankL: 20,
      });
      const msg = (seq: number) => ({ bootId: 'b1', seq, missionId: id, sortie: 1, samples: [sample(now)] });
      await sink.onDroneTelemetry!('drone-1', msg(0));
      now += 1_000;
      await sink.onDroneTelemetry!('drone-1', msg(1));
      now += 4_000;
      await sink.onDroneTelemetry!('drone-1', msg(2));
      await new Promise<void>((r) => setImmediate(r));
      // marker: a second plan after the samples
      const marker = await app.inject({
        method: 'POST',
        url: '/api/v1/missions',
        headers: tech,
        payload: { fieldId: 'field-farm-dai-an-2', droneId: 'drone-30l', productId: 'tricyclazole' },
      });
      const text = await readUntil(stream, marker.json().id as string);
      const progress = text
        .split('\n\n')
        .filter((b) => b.includes('"change":"progress"'))
        .map((b) => JSON.parse(b.split('data: ')[1]!) as { missionId: string; ts: number });
      expect(progress.map((p) => p.missionId)).toEqual([id, id]);
      expect(progress[1]!.ts - progress[0]!.ts).toBe(5_000);
    } finally {
      ctrl.abort();
    }
  });
});
