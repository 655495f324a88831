/** Builders for control-loop tests and scenarios: a paddy zone, a sprinkler zone, readings. */
import { GatewayConfig, type GatewayConfigInput, type Reading } from '../../protocol/index.js';

/** 2026-03-10 06:00 in Asia/Ho_Chi_Minh (UTC+7), a Tuesday in the dry season. */
export const T0 = Date.UTC(2026, 2, 9, 23, 0, 0);

export function paddyConfig(over: Partial<GatewayConfigInput['zones'][number]> = {}, pumps = true): GatewayConfig {
  return GatewayConfig.parse({
    version: 1,
    zones: [
      {
        id: 'z1',
        mode: 'awd',
        valves: ['v1'],
        intakeValve: 'v1',
        ...(pumps ? { pump: 'p1' } : {}),
        sensors: {
          waterLevel: { sensor: 'wl1', metric: 'water_level' },
          intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
        },
        awd: {},
        maxRunMinutes: 600,
        ...over,
      },
    ],
    pumps: pumps ? [{ pump: 'p1', valves: ['v1'], maxOpenValves: 1 }] : [],
  } satisfies GatewayConfigInput);
}

export function sprinklerConfig(over: Partial<GatewayConfigInput['zones'][number]> = {}): GatewayConfig {
  return GatewayConfig.parse({
    version: 1,
    zones: [
      {
        id: 'z2',
        mode: 'threshold',
        valves: ['v2'],
        sensors: { soilMoisture: { sensor: 'soil1', metric: 'soil_moisture' } },
        threshold: { refillPct: 25, fieldCapacityPct: 35, minOffMinutes: 30 },
        maxRunMinutes: 60,
        ...over,
      },
    ],
  } satisfies GatewayConfigInput);
}

const UNITS: Record<string, string> = { water_level: 'cm', salinity: 'ppt', soil_moisture: '%VWC' };

export function reading(
  sensor: string,
  metric: string,
  value: number | null,
  ts: number,
  bad?: Reading['fault'],
): Reading {
  return {
    sensor,
    metric,
    value,
    unit: UNITS[metric] ?? '',
    ts,
    quality: bad ? 'bad' : 'good',
    ...(bad ? { fault: bad } : {}),
  };
}

export const level = (cm: number, ts: number) => reading('wl1', 'water_level', cm, ts);
export const salinity = (ppt: number, ts: number) => reading('sal1', 'salinity', ppt, ts);
export const moisture = (pct: number, ts: number) => reading('soil1', 'soil_moisture', pct, ts);
