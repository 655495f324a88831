import { freePort } from '../lib/ports.js';
import { systemClock, type Clock } from '../lib/time.js';
import type { GatewayConfigInput } from '../protocol/index.js';
import { advancePaddy, type PaddyParams, type PaddyState } from './field/paddy.js';
import { canalSalinityPpt, pptToEcMicroSiemens, type SalinityParams } from './field/salinity.js';
import { advanceSoil, type SoilParams, type SoilState } from './field/soil.js';
import { startModbusSimulator, type ModbusSimulator } from './modbus/index.js';

/**
 * A ready-made simulated site on one Modbus TCP port (a TCP-to-RS-485 gateway with four units):
 * unit 1 paddy water level, unit 2 intake salinity probe, unit 3 soil sensor of a sprinkler
 * plot, unit 4 an 8-relay board (relay5 = intake gate, relay7 = pump, relay1 = sprinkler).
 * The field models read the relay coils: opening the intake really floods the paddy.
 */
export const PADDY_SITE_UNITS = { waterLevel: 1, salinity: 2, soil: 3, relays: 4 } as const;
export const PADDY_SITE_COILS = { sprinkler: 0, intake: 4, pump: 6 } as const;

export interface PaddySiteOptions {
  seed?: number;
  /** TCP port; default a free one */
  port?: number;
  host?: string;
  /** the field's clock; see `fastClock` to run field time faster than wall time */
  clock?: Clock;
  initialLevelCm?: number;
  initialMoisturePct?: number;
  paddy?: Partial<PaddyParams>;
  salinity?: Partial<SalinityParams>;
  soil?: Partial<SoilParams>;
}

export interface FieldSnapshot {
  ts: number;
  levelCm: number;
  salinityPpt: number;
  moisturePct: number;
  intakeOpen: boolean;
  pumpOn: boolean;
  sprinklerOn: boolean;
}

export interface PaddySite {
  busUrl: string;
  port: number;
  /** hardware fragments for a gateway file: one bus, four devices, three actuators */
  buses: Array<{ id: string; url: string; timeoutMs: number; retries: number }>;
  devices: Array<{ id: string; bus: string; unitId: number; profile: string; pollSeconds?: number; poll: boolean }>;
  actuators: Array<{ id: string; kind: 'valve' | 'intake' | 'pump'; device: string; coil: number }>;
  /** an AWD zone on the intake and a threshold zone on the sprinkler, matching the devices */
  zoneConfig(version?: number): GatewayConfigInput;
  field(): FieldSnapshot;
  /** pin the canal salinity (‰) — a salt intrusion — or release it with undefined */
  setSalinity(ppt: number | undefined): void;
  /** every coil write the relay board received, in order (what a logic analyser on the bus would show) */
  coilWrites(): Array<{ ts: number; address: number; on: boolean }>;
  simulator: ModbusSimulator;
  stop(): Promise<void>;
}

/** A clock that runs `speed` times faster than wall time from now on (1 h of field per second at 3600). */
export function fastClock(speed: number, start = Date.now(), wall: Clock = systemClock): Clock {
  const wall0 = wall.now();
  return { now: () => start + (wall.now() - wall0) * speed };
}

export async function startPaddySite(opts: PaddySiteOptions = {}): Promise<PaddySite> {
  const clock = opts.clock ?? systemClock;
  const seed = opts.seed ?? 1;
  const port = opts.port ?? (await freePort());
  const host = opts.host ?? '127.0.0.1';
  const t0 = clock.now();
  let paddy: PaddyState = { ts: t0, levelCm: opts.initialLevelCm ?? -5 };
  let soil: SoilState = { ts: t0, moisturePct: opts.initialMoisturePct ?? 30 };
  const coils = { intake: false, pump: false, sprinkler: false };
  let pinnedSalinity: number | undefined;
  const writes: Array<{ ts: number; address: number; on: boolean }> = [];
  // a gate lets canal water in by gravity at high tide; with the pump running it is full flow
  const inflowScale = () => (coils.pump ? 1 : 0.4);
  const advance = () => {
    const now = clock.now();
    if (now <= paddy.ts) return;
    const base = opts.paddy?.inflowMmPerHour ?? 25;
    paddy = advancePaddy(
      paddy,
      now,
      { intakeOpen: coils.intake },
      { seed, ...opts.paddy, inflowMmPerHour: base * inflowScale() },
    );
    soil = advanceSoil(soil, now, coils.sprinkler, { seed, ...opts.soil });
  };
  const salinityNow = () => pinnedSalinity ?? canalSalinityPpt(clock.now(), { seed, ...opts.salinity });
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const values = (metric: string): number | undefined => {
    advance();
    switch (metric) {
      case 'water_level':
        return r1(paddy.levelCm);
      case 'salinity':
        return Math.round(salinityNow() * 100) / 100;
      case 'water_ec':
        return pptToEcMicroSiemens(salinityNow());
      case 'soil_moisture':
        return r1(soil.moisturePct);
      default:
        return undefined; // temperatures, pH, EC: the simulator's typical values
    }
  };
  const now = () => clock.now();
  const simulator = await startModbusSimulator({ transport: 'tcp', port, host }, [
    { unitId: PADDY_SITE_UNITS.waterLevel, profile: 'paddy-water-level', values, now },
    { unitId: PADDY_SITE_UNITS.salinity, profile: 'intake-salinity', values, now },
    { unitId: PADDY_SITE_UNITS.soil, profile: 'soil-rs485-4in1', values, now },
    {
      unitId: PADDY_SITE_UNITS.relays,
      profile: 'relay-board-8ch',
      now,
      onCoilWrite: ({ address }, on) => {
        advance(); // the field so far ran with the old valve positions
        writes.push({ ts: Date.now(), address, on });
        if (address === PADDY_SITE_COILS.intake) coils.intake = on;
        if (address === PADDY_SITE_COILS.pump) coils.pump = on;
        if (address === PADDY_SITE_COILS.sprinkler) coils.sprinkler = on;
      },
    },
  ]);
  const busUrl = simulator.url;
  return {
    busUrl,
    port,
    buses: [{ id: 'field', url: busUrl, timeoutMs: 1000, retries: 1 }],
    devices: [
      { id: 'wl1', bus: 'field', unitId: PADDY_SITE_UNITS.waterLevel, profile: 'paddy-water-level', poll: true },
      { id: 'sal1', bus: 'field', unitId: PADDY_SITE_UNITS.salinity, profile: 'intake-salinity', poll: true },
      { id: 'soil1', bus: 'field', unitId: PADDY_SITE_UNITS.soil, profile: 'soil-rs485-4in1', poll: true },
      { id: 'relays', bus: 'field', unitId: PADDY_SITE_UNITS.relays, profile: 'relay-board-8ch', poll: false },
    ],
    actuators: [
      { id: 'v1', kind: 'intake', device: 'relays', coil: PADDY_SITE_COILS.intake },
      { id: 'p1', kind: 'pump', device: 'relays', coil: PADDY_SITE_COILS.pump },
      { id: 'v2', kind: 'valve', device: 'relays', coil: PADDY_SITE_COILS.sprinkler },
    ],
    zoneConfig: (version = 1) => ({
      version,
      zones: [
        {
          id: 'z1',
          name: 'Ruộng lúa',
          mode: 'awd',
          valves: ['v1'],
          intakeValve: 'v1',
          pump: 'p1',
          sensors: {
            waterLevel: { sensor: 'wl1', metric: 'water_level' },
            intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
          },
          awd: { refloodCm: -15, targetCm: 5 },
          maxRunMinutes: 480,
        },
        {
          id: 'z2',
          name: 'Vườn hành',
          mode: 'threshold',
          valves: ['v2'],
          sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
          threshold: { refillPct: 25, fieldCapacityPct: 35, minOffMinutes: 30 },
          maxRunMinutes: 60,
        },
      ],
      pumps: [{ pump: 'p1', valves: ['v1'], maxOpenValves: 1 }],
    }),
    field: () => {
      advance();
      return {
        ts: paddy.ts,
        levelCm: paddy.levelCm,
        salinityPpt: salinityNow(),
        moisturePct: soil.moisturePct,
        intakeOpen: coils.intake,
        pumpOn: coils.pump,
        sprinklerOn: coils.sprinkler,
      };
    },
    setSalinity: (ppt) => {
      pinnedSalinity = ppt;
    },
    coilWrites: () => [...writes],
    simulator,
    stop: () => simulator.stop(),
  };
}

export interface SiteGatewayOptions {
  gatewayId: string;
  mqttUrl: string;
  dataDir: string;
  /** how often the gateway polls each sensor (s); default the profiles' */
  pollSeconds?: number;
  loopIntervalMs?: number;
}

/** A gateway file (input form of edge/config.ts) that runs this site: parse it with parseGatewayFile. */
export function gatewayFileFor(site: PaddySite, o: SiteGatewayOptions) {
  return {
    gatewayId: o.gatewayId,
    mqtt: { url: o.mqttUrl },
    dataDir: o.dataDir,
    buses: site.buses,
    devices: site.devices.map((d) => (o.pollSeconds && d.poll ? { ...d, pollSeconds: o.pollSeconds } : d)),
    actuators: site.actuators,
    initialConfig: site.zoneConfig(1),
    loop: { intervalMs: o.loopIntervalMs ?? 1000 },
  };
}

/** N sites on free ports (the demo): seeds 1…N so each field behaves differently. */
export async function startPaddySites(
  n: number,
  opts: Omit<PaddySiteOptions, 'port' | 'seed'> = {},
): Promise<PaddySite[]> {
  const sites: PaddySite[] = [];
  try {
    for (let i = 0; i < n; i++)
      sites.push(await startPaddySite({ ...opts, seed: i + 1, initialLevelCm: opts.initialLevelCm ?? -3 - i * 2.5 }));
  } catch (err) {
    await Promise.all(sites.map((s) => s.stop()));
    throw err;
  }
  return sites;
}
