import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatewayConfig, type Command, type Reading } from '../protocol/index.js';
import { minutes } from '../lib/time.js';
import { Gateway } from './gateway.js';
import { parseGatewayFile } from './config.js';
import type { Hardware } from './hardware.js';
import type { UplinkPort } from './uplink-port.js';
import { T0, level, salinity } from './control/testing.js';

class FakeRelays {
  log: string[] = [];
  on = new Map<string, boolean>();
  broken = new Set<string>();
  ids() {
    return ['v1', 'p1', 'v2'];
  }
  async set(id: string, on: boolean) {
    if (this.broken.has(id)) throw new Error(`relay ${id} does not answer`);
    this.log.push(`${id}:${on}`);
    this.on.set(id, on);
  }
  async closeAll() {
    for (const id of this.ids()) await this.set(id, false).catch(() => undefined);
    this.log.push('closeAll');
    const failed = this.ids()
      .filter((i) => this.broken.has(i))
      .map((id) => ({ id, error: new Error('no answer') }));
    return { closed: this.ids().filter((i) => !this.broken.has(i)), failed };
  }
}

function fakeUplink() {
  const u = {
    readings: [] as Reading[],
    events: [] as { kind: string; reason: string }[],
    version: -1,
    config: undefined as undefined | ((c: GatewayConfig) => Promise<unknown>),
    cmd: undefined as undefined | ((c: Command) => Promise<unknown>),
    start() {},
    async stop() {},
    publishReadings(r: Reading[]) {
      u.readings.push(...r);
    },
    publishEvent(e: { kind: string; reason: string }) {
      u.events.push(e);
    },
    onConfig(h: (c: GatewayConfig) => Promise<unknown>) {
      u.config = h;
    },
    onCommand(h: (c: Command) => Promise<unknown>) {
      u.cmd = h;
    },
    setConfigVersion(v: number) {
      u.version = v;
    },
  };
  return u;
}

const dirs: string[] = [];
const gateways: Gateway[] = [];
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileIn(dir: string) {
  return parseGatewayFile(
    {
      gatewayId: 'gw-unit',
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      dataDir: dir,
      buses: [{ id: 'b', url: 'tcp://127.0.0.1:1' }],
      devices: [
        { id: 'wl1', bus: 'b', profile: 'paddy-water-level' },
        { id: 'sal1', bus: 'b', unitId: 2, profile: 'intake-salinity' },
        { id: 'r', bus: 'b', unitId: 4, profile: 'relay-board-8ch', poll: false },
      ],
      actuators: [
        { id: 'v1', kind: 'intake', device: 'r', coil: 4 },
        { id: 'p1', kind: 'pump', device: 'r', coil: 6 },
        { id: 'v2', device: 'r', coil: 0 },
      ],
      initialConfig: {
        version: 1,
        zones: [
          {
            id: 'z1',
            mode: 'awd',
            valves: ['v1'],
            intakeValve: 'v1',
            pump: 'p1',
            awd: {},
            sensors: {
              waterLevel: { sensor: 'wl1', metric: 'water_level' },
              intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
            },
          },
        ],
      },
      loop: { intervalMs: 60_000 },
    },
    'test',
    dir,
    {},
  );
}

type FaultCb = (f: { sensor: string; reason: string; fault: string }) => void;

async function boot(dir = mkdtempSync(path.join(tmpdir(), 'gwu-')), relays = new FakeRelays()) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const faults: FaultCb[] = [];
  const hardware: Hardware = {
    sensors: {
      onReadings: () => () => undefined,
      onFault: (cb: FaultCb) => {
        faults.push(cb);
        return () => undefined;
      },
      start() {},
      async stop() {},
    },
    actuators: relays,
    async start() {},
    async stop() {},
  };
  const uplink = fakeUplink();
  const gw = new Gateway(fileIn(dir), { clock, hardware, uplink: uplink as unknown as UplinkPort });
  gateways.push(gw);
  await gw.start();
  return { gw, relays, uplink, clock, dir, faults };
}

describe('Gateway', () => {
  it('closes every relay before anything else, then runs the initial config', async () => {
    const { gw, relays, uplink } = await boot();
    expect(relays.log.slice(0, 4)).toEqual(['v1:false', 'p1:false', 'v2:false', 'closeAll']);
    expect(gw.config.version).toBe(1);
    expect(uplink.version).toBe(1); // the version in force, the file's initialConfig: the cloud numbers its configs above it
    expect(uplink.events[0]?.kind).toBe('started');
  });

  it('drives the relays from readings and publishes the valve state as telemetry', async () => {
    const { gw, relays, uplink } = await boot();
    relays.log = [];
    await gw.tick([level(-16, T0), salinity(1, T0)]);
    expect(relays.log).toEqual(['v1:true', 'p1:true']);
    expect(uplink.readings).toContainEqual(expect.objectContaining({ sensor: 'v1', metric: 'valve_open', value: 1 }));
    expect(uplink.events.map((e) => e.kind)).toEqual(['started', 'valve_opened', 'pump_on']);
  });

  it('applies a valid cloud config atomically, persists it and prefers it after a restart', async () => {
    const { gw, dir } = await boot();
    const next = GatewayConfig.parse({
      ...gw.config,
      version: 5,
      zones: gw.config.zones.map((z) => ({ ...z, mode: 'off' })),
    });
    expect(await gw.applyConfig(next)).toEqual({ status: 'applied' });
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).version).toBe(5);
    expect(existsSync(path.join(dir, 'config.json.tmp'))).toBe(false);
    await gw.stop();
    const again = await boot(dir);
    expect(again.gw.config.version).toBe(5);
    expect(again.uplink.version).toBe(5);
  });

  it('rejects a config that names hardware it does not have, and keeps the old one', async () => {
    const { gw, uplink } = await boot();
    const bad = GatewayConfig.parse({ version: 2, zones: [{ id: 'z9', mode: 'off', valves: ['v7'] }] });
    const r = await uplink.config!(bad);
    expect(r).toEqual({ status: 'rejected', reasons: ['zone z9: no actuator "v7" on this gateway'] });
    expect(gw.config.version).toBe(1);
    expect(uplink.events.at(-1)).toMatchObject({ kind: 'config_rejected' });
  });

  it('executes commands from the uplink and answers with the outcome', async () => {
    const { relays, uplink, clock } = await boot();
    relays.log = [];
    const base = { issuedAt: clock.t, expiresAt: clock.t + minutes(5) };
    await uplink.cmd!({ ...base, id: 'c0', kind: 'open', zone: 'z1', minutes: 10 }).then((r) =>
      expect(r).toEqual({
        status: 'rejected',
        reason: 'blocked: intake salinity unknown, sensor sal1 has no reading yet',
      }),
    );
    const gw = gateways[0]!;
    await gw.tick([level(0, clock.t), salinity(1, clock.t)]);
    expect(await uplink.cmd!({ ...base, id: 'c1', kind: 'open', zone: 'z1', minutes: 10 })).toEqual({ status: 'done' });
    expect(relays.on.get('v1')).toBe(true);
    expect(await uplink.cmd!({ ...base, id: 'c2', kind: 'stop-all' })).toEqual({ status: 'done' });
    expect(relays.on.get('v1')).toBe(false);
    expect(relays.on.get('p1')).toBe(false);
  });

  it('keeps a stop-all hold across a restart (state on disk)', async () => {
    const { gw, clock, dir } = await boot();
    await gw.command({ id: 's', kind: 'stop-all', issuedAt: clock.t, expiresAt: clock.t + minutes(5) });
    await gw.stop();
    const again = await boot(dir);
    await again.gw.tick([level(-20, T0 + 1000), salinity(1, T0 + 1000)]);
    expect(again.relays.on.get('v1')).toBe(false);
  });

  it('raises one alarm for a relay that will not switch, believes it closed, and retries', async () => {
    const { gw, relays, uplink } = await boot();
    relays.broken.add('v1');
    await gw.tick([level(-16, T0), salinity(1, T0)]);
    await gw.tick([level(-16, T0 + 1000), salinity(1, T0 + 1000)]);
    expect(uplink.events.filter((e) => e.kind === 'alarm')).toHaveLength(1);
    expect(uplink.events.find((e) => e.kind === 'alarm')?.reason).toMatch(
      /^could not switch v1 on: relay v1 does not answer/,
    );
    expect(gw.state.valves.v1?.open).toBe(false);
    expect(relays.on.get('p1')).not.toBe(true); // never a pump against a shut valve
    relays.broken.delete('v1');
    await gw.tick([level(-16, T0 + 2000), salinity(1, T0 + 2000)]);
    expect(relays.on.get('v1')).toBe(true);
  });

  it('reports bus faults of sensors no zone uses, and leaves the used ones to the loop', async () => {
    const { uplink, faults } = await boot();
    faults[0]!({ sensor: 'wl1', reason: 'no reply from unit 1 on bus b', fault: 'timeout' });
    faults[0]!({ sensor: 'soil9', reason: 'no reply from unit 3 on bus b', fault: 'timeout' });
    expect(uplink.events.filter((e) => e.kind === 'sensor_fault')).toEqual([
      expect.objectContaining({ sensor: 'soil9', reason: 'sensor fault: no reply from unit 3 on bus b' }),
    ]);
  });
});

describe('Gateway.command', () => {
  it('says why a refused command was refused, as a code', async () => {
    const { gw, uplink } = await boot();
    await gw.tick([level(-5, T0), salinity(3.4, T0)]);
    const r = await gw.command({
      id: 'c1',
      kind: 'open',
      valve: 'v1',
      minutes: 10,
      issuedAt: T0,
      expiresAt: T0 + 60_000,
    });
    expect(r).toMatchObject({ outcome: 'rejected', code: 'salinity_interlock' });
    expect(uplink.events.at(-1)).toMatchObject({
      kind: 'cmd_rejected',
      code: 'cmd_refused',
      data: { cmdId: 'c1', cmdKind: 'open', why: 'salinity_interlock' },
    });
    const late = await gw.command({ id: 'c2', kind: 'stop-all', issuedAt: T0 - 120_000, expiresAt: T0 - 60_000 });
    expect(late).toMatchObject({ outcome: 'expired', code: 'expired' });
  });
});
