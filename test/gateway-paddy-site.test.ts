import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { Gateway } from '../edge/gateway.js';
import { parseGatewayFile } from '../edge/config.js';
import { fastClock, gatewayFileFor, startPaddySite, type PaddySite } from '../simulators/paddy-site.js';
import { Telemetry, GatewayEvent, topics } from '../protocol/index.js';
import type { ControlEvent } from '../edge/control/index.js';
import { services } from './support/services.js';
import { until as waitUntil } from './support/wait.js';

// field time: 2026-03-10 12:00 in Vietnam, one field hour per wall second; dry, fresh canal
const FIELD_START = Date.UTC(2026, 2, 10, 5, 0);
const fresh = { monthlyBasePpt: Array(12).fill(0.6), spikeChanceDry: 0, spikeChanceWet: 0 };

const until = <T>(what: string, fn: () => T | undefined | false) => waitUntil(what, fn, 20_000, 50);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(mqttUrl: string, gatewayId: string, withUplink: boolean) {
  const site: PaddySite = await startPaddySite({
    seed: 4,
    clock: fastClock(3600, FIELD_START),
    initialLevelCm: -14.2,
    paddy: { rain: false },
    salinity: fresh,
  });
  cleanups.push(() => site.stop());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const file = parseGatewayFile(
    gatewayFileFor(site, { gatewayId, mqttUrl, dataDir, pollSeconds: 1, loopIntervalMs: 500 }),
    'test',
    dataDir,
    {},
  );
  const gw = new Gateway(file, withUplink ? {} : { uplink: null });
  const events: ControlEvent[] = [];
  gw.on('event', (e) => events.push(e));
  await gw.start();
  cleanups.push(() => gw.stop());
  return { site, gw, events };
}

describe('gateway on a simulated paddy over real Modbus TCP', () => {
  it('opens the intake as the field dries, floods it, and closes on a salinity spike', async () => {
    const { site, gw, events } = await setup('mqtt://127.0.0.1:1', `gw-t-${randomBytes(3).toString('hex')}`, false);
    expect(events[0]?.kind).toBe('started');
    const start = site.field().levelCm;
    const opened = await until('the intake to open', () =>
      events.find((e) => e.kind === 'valve_opened' && e.valve === 'v1'),
    );
    expect(opened.reason).toMatch(/^opened: water level −1[5-9]\.\d cm ≤ −15 cm$/);
    expect(opened.data?.waterLevelCm).toBeLessThan(start); // it fell first (read from the decision: the field moves fast)
    await until('the relay board to show intake and pump on', () => site.field().intakeOpen && site.field().pumpOn);
    // sensor read to valve command inside the gateway (the bus round trips are not in it)
    expect(gw.stats().decisions).toBeGreaterThanOrEqual(1);
    expect(gw.stats().lastDecisionMs).toBeLessThan(250); // target 50 ms; slack for a shared 2-core machine
    await until('the level to rise', () => site.field().levelCm > -10);
    site.setSalinity(4.6);
    const closed = await until('the intake to close', () => events.find((e) => e.kind === 'interlock'));
    expect(closed.reason).toBe('closed: intake salinity 4.6‰ > 2.0‰');
    await until('the relays to be off', () => !site.field().intakeOpen && !site.field().pumpOn);
    expect(gw.state.valves.v1?.open).toBe(false);
    // and it stays shut while the canal is salty: three more control steps, however long they take
    const steps = gw.stats().steps;
    await until('three more control steps', () => gw.stats().steps >= steps + 3);
    expect(site.field().intakeOpen).toBe(false);
    expect(gw.state.valves.v1?.open).toBe(false);
  });

  it('closes every relay when it stops', async () => {
    const { site, gw, events } = await setup('mqtt://127.0.0.1:1', `gw-t-${randomBytes(3).toString('hex')}`, false);
    await until('the intake to open', () => events.find((e) => e.kind === 'valve_opened'));
    await until('the relay to follow', () => site.field().intakeOpen);
    await gw.stop();
    expect(site.field()).toMatchObject({ intakeOpen: false, pumpOn: false, sprinklerOn: false });
  });
});

const mosquitto = await services.mosquitto();

describe.skipIf(!mosquitto)('gateway telemetry on the real Mosquitto', () => {
  it('publishes readings and decisions under its own gateway id', async () => {
    const gatewayId = `gw-t-${randomBytes(4).toString('hex')}`;
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `test-${gatewayId}` });
    cleanups.push(async () => {
      // leave no retained birth of a test gateway behind on the shared broker
      await sub.publishAsync(topics.state(gatewayId), '', { qos: 1, retain: true });
      await sub.endAsync();
    });
    const telemetry: Telemetry[] = [];
    const published: GatewayEvent[] = [];
    sub.on('message', (topic, payload) => {
      if (topic === topics.telemetry(gatewayId)) telemetry.push(Telemetry.parse(JSON.parse(payload.toString())));
      if (topic === topics.event(gatewayId)) published.push(GatewayEvent.parse(JSON.parse(payload.toString())));
    });
    await sub.subscribeAsync([topics.telemetry(gatewayId), topics.event(gatewayId)], { qos: 1 });
    // the gateway sends only while an ingest host says online: this test is that host
    const host = topics.hostState(`t-host-${gatewayId}`);
    await sub.publishAsync(host, JSON.stringify({ online: true, ts: Date.now() }), { qos: 1, retain: true });
    cleanups.push(() => sub.publishAsync(host, '', { qos: 1, retain: true }).then(() => undefined));
    await setup('mqtt://127.0.0.1:1883', gatewayId, true);
    const level = await until('water level telemetry', () =>
      telemetry.flatMap((t) => t.readings).find((r) => r.sensor === 'wl1' && r.metric === 'water_level'),
    );
    expect(level.unit).toBe('cm');
    const opened = await until('the valve_opened event', () => published.find((e) => e.kind === 'valve_opened'));
    expect(opened.reason).toMatch(/^opened: water level/);
    await until('the valve state in telemetry', () =>
      telemetry.flatMap((t) => t.readings).find((r) => r.sensor === 'v1' && r.metric === 'valve_open' && r.value === 1),
    );
  });
});
