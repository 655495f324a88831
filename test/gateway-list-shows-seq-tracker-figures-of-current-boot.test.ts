import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../cloud/app.js';
import { SeqTracker } from '../cloud/ingest/seq-tracker.js';
import type { Registry } from '../cloud/registry/registry.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';
import type { TelemetryStore } from '../cloud/telemetry/store.js';

const T = 1_767_225_600_000;

describe("the gateway list and detail show the seq tracker's figures for the current boot", () => {
  let dir: string;
  let registry: Registry;
  let store: TelemetryStore;
  let app: FastifyInstance;
  const tracker = new SeqTracker();
  let t = T;
  // what the ingest does per telemetry message: the tracker counts, the registry moves lastSeq
  const deliver = async (bootId: string, seq: number) => {
    t += 1;
    tracker.observe('gw-s', bootId, seq, t);
    await registry.recordTelemetry('gw-s', { bootId, seq }, t);
  };
  const seqOf = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-seq-api-'));
    const file = path.join(dir, 'ruongso.sqlite');
    registry = createSqliteRegistry(file);
    await registry.init();
    store = new SqliteTelemetryStore({ file });
    await store.init();
    app = await buildApp({
      registry,
      store,
      clock: { now: () => t },
      brokerHealth: () => ({ ok: true, kind: 'test' }),
      seq: (id) => tracker.stats(id),
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await registry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows no gap and no duplicate after a backlog drain interleaved with live data, and counts a real re-delivery once', async () => {
    // an earlier boot that ended with a hole: not the current boot, so not shown
    for (const s of [0, 1, 5]) await deliver('boot-old', s);
    // current boot: live 0..2, outage, live 8..9 arrives while the backlog 3..7 drains in between
    for (const s of [0, 1, 2, 8, 3, 4, 9, 5, 6, 7]) await deliver('boot-new', s);
    const list = await seqOf('/api/v1/gateways');
    expect(list.gateways).toEqual([
      expect.objectContaining({
        id: 'gw-s',
        bootId: 'boot-new',
        lastSeq: 9,
        seqGaps: 0,
        seqDups: 0,
        seq: { bootId: 'boot-new', received: 10, missing: 0, duplicates: 0 },
      }),
    ]);

    await deliver('boot-new', 12); // 10, 11 missing now
    await deliver('boot-new', 6); // a real re-delivery
    const detail = await seqOf('/api/v1/gateways/gw-s');
    expect(detail).toMatchObject({ seqGaps: 2, seqDups: 1, seq: { bootId: 'boot-new', missing: 2, duplicates: 1 } });

    await deliver('boot-new', 10);
    await deliver('boot-new', 11);
    expect(await seqOf('/api/v1/gateways/gw-s')).toMatchObject({
      seqGaps: 0,
      seqDups: 1,
      seq: { missing: 0, duplicates: 1, received: 13 },
    });
  });

  it('shows zeros and a null seq for a gateway this instance has not heard', async () => {
    await registry.upsertGateway({ id: 'gw-quiet', farmId: null, name: null }, 'test');
    expect(await seqOf('/api/v1/gateways/gw-quiet')).toMatchObject({ seqGaps: 0, seqDups: 0, seq: null });
  });
});
