import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DroneTelemetry } from '../protocol/index.js';
import {
  asAppliedPoints,
  decodeSections,
  encodeSections,
  loadAsApplied,
  withAsAppliedLog,
} from '../cloud/missions/as-applied.js';
import { makeField } from '../cloud/missions/field.js';
import { planMission } from '../cloud/missions/planner.js';
import { verifyAsApplied } from '../cloud/missions/verify.js';
import type { IngestSink } from '../cloud/ingest/sink.js';
import { InfluxTelemetryStore } from '../cloud/telemetry/influx/influx-store.js';
import { SqliteTelemetryStore } from '../cloud/telemetry/sqlite-store.js';
import type { TelemetryStore } from '../cloud/telemetry/store.js';
import { demoRectangle } from '../cloud/missions/catalog.js';
import { simulateFlight } from '../simulators/drone/flight.js';
import { startInflux, type InfluxServer } from './support/influx.js';
import { services } from './support/services.js';

/** The drone's as-applied log through the ingest sink into each telemetry store and back. */
const influxOk = await services.influxd();
const plan = planMission({
  field: makeField({ boundary: demoRectangle(105.78, 10.03, 120, 80) }),
  drone: { swathM: 6, tankL: 20, maxFlowLpm: 10, speedMps: 5, enduranceMin: 15 },
  product: { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 },
});
const START = 1_764_288_000_000;
const missionId = `m-${randomBytes(3).toString('hex')}`;
const droneId = `d-${randomBytes(3).toString('hex')}`;
const messages: DroneTelemetry[] = simulateFlight(plan, {
  startTs: START,
  seed: 5,
  windMps: 2,
  gpsNoiseM: 0.1,
}).flatMap(({ sortie, samples }) => {
  const out: DroneTelemetry[] = [];
  for (let i = 0; i < samples.length; i += 50)
    out.push({ bootId: 'boot-1', seq: out.length, missionId, sortie, samples: samples.slice(i, i + 50) });
  return out;
});
const allSamples = messages.flatMap((m) => m.samples);
// the same field flown by a drone with four nozzle sections: its samples carry the open ones
const sectional = planMission({
  field: makeField({ boundary: demoRectangle(105.78, 10.03, 120, 80) }),
  drone: { swathM: 6, tankL: 20, maxFlowLpm: 10, speedMps: 5, enduranceMin: 15, sprayer: { sections: 4 } },
  product: { name: 'fungicide', rateLPerHa: 15, maxWindMps: 5 },
});
const sectionalMission = `${missionId}-s`;
const sectionalMessages: DroneTelemetry[] = simulateFlight(sectional, { startTs: START, seed: 5 }).flatMap(
  ({ sortie, samples }) => {
    const out: DroneTelemetry[] = [];
    for (let i = 0; i < samples.length; i += 50)
      out.push({
        bootId: 'boot-2',
        seq: out.length,
        missionId: sectionalMission,
        sortie,
        samples: samples.slice(i, i + 50),
      });
    return out;
  },
);
const base: IngestSink & { drones: number } = {
  drones: 0,
  onState: () => undefined,
  onTelemetry: () => undefined,
  onEvent: () => undefined,
  onConfigAck: () => undefined,
  onCmdAck: () => undefined,
  onDroneTelemetry() {
    this.drones++;
  },
};

function asAppliedSuite(open: () => Promise<TelemetryStore>) {
  it('stores every sample once, even when messages are delivered twice, and rebuilds the log for the mission', async () => {
    const store = await open();
    const sink = withAsAppliedLog(base, store);
    for (const m of messages) await sink.onDroneTelemetry!(droneId, m);
    for (const m of messages.slice(0, 3)) await sink.onDroneTelemetry!(droneId, m); // QoS 1 redelivery
    expect(base.drones).toBeGreaterThanOrEqual(messages.length + 3);
    const window = { droneId, missionId, from: START - 1000, to: START + 24 * 3_600_000 };
    const back = await loadAsApplied(store, window);
    expect(back).toHaveLength(allSamples.length);
    expect(back[10]).toMatchObject({ ts: allSamples[10]!.ts, spraying: allSamples[10]!.spraying });
    expect(back[10]!.lat).toBeCloseTo(allSamples[10]!.lat, 9);
    expect(back[10]!.flowLpm).toBeCloseTo(allSamples[10]!.flowLpm, 6);
    expect(await loadAsApplied(store, { ...window, missionId: 'other-mission' })).toEqual([]);
    const r = verifyAsApplied(
      {
        sprayable: plan.sprayable,
        rateLPerHa: plan.rateLPerHa,
        swathM: plan.swathM,
        litresPlanned: plan.metrics.litres,
      },
      back,
    );
    expect(r.inTolerance).toBeGreaterThan(0.85);
  });

  it("keeps a sectional boom's open sections, so the stored log is verified strip by strip", async () => {
    const store = await open();
    const sink = withAsAppliedLog(base, store);
    for (const m of sectionalMessages) await sink.onDroneTelemetry!(droneId, m);
    const sent = sectionalMessages.flatMap((m) => m.samples);
    // the plan switches sections somewhere: otherwise this test would prove nothing
    expect(sent.some((x) => x.sections?.includes(false))).toBe(true);
    const back = await loadAsApplied(store, {
      droneId,
      missionId: sectionalMission,
      from: START - 1000,
      to: START + 24 * 3_600_000,
    });
    expect(back).toHaveLength(sent.length);
    expect(back.map((x) => x.sections)).toEqual(sent.map((x) => x.sections));
    const target = {
      sprayable: sectional.sprayable,
      rateLPerHa: sectional.rateLPerHa,
      swathM: sectional.swathM,
      litresPlanned: sectional.metrics.litres,
    };
    const stripped = back.map(({ sections: _s, ...rest }) => rest);
    // read as the whole swath, the closed sections' lower flow looks like under-dose
    expect(verifyAsApplied(target, back).inTolerance).toBeGreaterThan(verifyAsApplied(target, stripped).inTolerance);
  });
}

describe('as-applied points', () => {
  it('encode open sections as one number and back, and refuse values no encoding gives', () => {
    for (const sections of [[true], [false, true], [true, false, true, true], Array(8).fill(true) as boolean[]])
      expect(decodeSections(encodeSections(sections))).toEqual(sections);
    for (const bad of [0, 255, 256 + 2, 9 * 256, 512.5, -256]) expect(decodeSections(bad)).toBeUndefined();
  });

  it('key a drone by a gateway id no gateway can have, the mission by sensor, one point per metric and sample', () => {
    const pts = asAppliedPoints('d1', messages[0]!);
    expect(new Set(pts.map((p) => p.gatewayId))).toEqual(new Set(['drone:d1']));
    expect(new Set(pts.map((p) => p.sensor))).toEqual(new Set([missionId]));
    expect(new Set(pts.map((p) => p.metric))).toEqual(
      new Set(['lat', 'lon', 'alt', 'speed', 'flow_lpm', 'spraying', 'tank_l', 'swath_m', 'sortie']),
    );
    expect(pts.filter((p) => p.metric === 'lat')).toHaveLength(messages[0]!.samples.length);
    const { missionId: _m, ...anon } = messages[0]!;
    expect(asAppliedPoints('d1', anon)[0]!.sensor).toBe('unassigned');
  });
});

describe('as-applied log on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-asapplied-'));
  let store: TelemetryStore | undefined;
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  asAppliedSuite(async () => {
    store = new SqliteTelemetryStore({ file: path.join(dir, 't.sqlite') });
    await store.init();
    return store;
  });
});

describe.skipIf(!influxOk)(
  'as-applied log on InfluxDB 1.6',
  () => {
    let influx: InfluxServer | undefined;
    let store: TelemetryStore | undefined;
    afterAll(async () => {
      await store?.close();
      await influx?.destroy();
    });
    asAppliedSuite(async () => {
      influx = await startInflux();
      store = new InfluxTelemetryStore({
        url: influx.url,
        api: 'v1',
        db: `asapplied_${randomBytes(3).toString('hex')}`,
      });
      await store.init();
      return store;
    });
  },
  60_000,
);
