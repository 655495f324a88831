import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGatewayFile, parseGatewayFile, zonesAgainstHardware, hardwareOf } from './config.js';
import { GatewayError } from './errors.js';

const EXAMPLE = fileURLToPath(new URL('../examples/gateway.yaml', import.meta.url));
const minimal = () => ({
  gatewayId: 'gw-1',
  mqtt: { url: 'mqtt://127.0.0.1:1883' },
  buses: [{ id: 'b', url: 'tcp://127.0.0.1:5020' }],
  devices: [
    { id: 'wl1', bus: 'b', profile: 'paddy-water-level' },
    { id: 'sal1', bus: 'b', unitId: 2, profile: 'intake-salinity' },
    { id: 'r', bus: 'b', unitId: 4, profile: 'relay-board-8ch', poll: false },
  ],
  actuators: [
    { id: 'v1', kind: 'intake', device: 'r', coil: 4 },
    { id: 'p1', kind: 'pump', device: 'r', coil: 6 },
  ],
});

describe('gateway config file', () => {
  it('loads the documented example', () => {
    const f = loadGatewayFile(EXAMPLE);
    expect(f.gatewayId).toBe('gw-example-1');
    expect(f.dataDir).toBe(path.resolve(path.dirname(EXAMPLE), '../data/gw-example-1'));
    expect(f.initialConfig?.zones.map((z) => z.id)).toEqual(['z1', 'z2']);
    expect(f.loop.intervalMs).toBe(1000);
  });

  it('fills defaults', () => {
    const f = parseGatewayFile(minimal(), 'test', '/srv/gw', {});
    expect(f.buses[0]).toMatchObject({ timeoutMs: 1000, retries: 1 });
    expect(f.devices[0]).toMatchObject({ unitId: 1, poll: true });
    expect(f.dataDir).toBe('/srv/gw/data');
    expect(f.loop).toEqual({
      intervalMs: 1000,
      lockoutMinutes: 30,
      closeHoldMinutes: 60,
      stopAllHoldMinutes: 720,
      pumpStopDelayMs: 1000,
    });
  });

  it('takes the MQTT password from the environment when the file has none', () => {
    expect(parseGatewayFile(minimal(), 'test', '/srv', { RUONGSO_MQTT_PASSWORD: 's3cret' }).mqtt.password).toBe(
      's3cret',
    );
  });

  it.each([
    {
      name: 'a bad unit id',
      patch: (c: any) => {
        c.devices[0].unitId = 300;
      },
      key: 'devices.0.unitId: unitId must be 1–247',
    },
    {
      name: 'an unknown bus',
      patch: (c: any) => {
        c.devices[0].bus = 'x';
      },
      key: 'devices.0.bus: no bus "x"',
    },
    {
      name: 'an unknown relay device',
      patch: (c: any) => {
        c.actuators[0].device = 'nope';
      },
      key: 'actuators.0.device: no device "nope"',
    },
    {
      name: 'a typo in a key',
      patch: (c: any) => {
        c.mqtt.passwrod = 'x';
      },
      key: 'mqtt: Unrecognized key: "passwrod"',
    },
    {
      name: 'a duplicate device id',
      patch: (c: any) => {
        c.devices[1].id = 'wl1';
      },
      key: 'devices.1.id: id "wl1" is used twice',
    },
    {
      name: 'a wrong broker URL',
      patch: (c: any) => {
        c.mqtt.url = 'http://x';
      },
      key: 'mqtt.url: mqtt.url must start with',
    },
  ])('names the key on $name', ({ patch, key }) => {
    const c = minimal();
    patch(c);
    expect(() => parseGatewayFile(c, 'gw.yaml', '/srv', {})).toThrow(GatewayError);
    expect(() => parseGatewayFile(c, 'gw.yaml', '/srv', {})).toThrow(key);
  });

  it('rejects an initial zone config that names hardware the gateway does not have', () => {
    const c = {
      ...minimal(),
      initialConfig: { version: 1, zones: [{ id: 'z1', mode: 'off', valves: ['v9'], intakeValve: 'v9' }] },
    };
    expect(() => parseGatewayFile(c, 'gw.yaml', '/srv', {})).toThrow(
      'initialConfig: zone z1: no actuator "v9" on this gateway',
    );
  });

  it('says when a config file is missing', () => {
    expect(() => loadGatewayFile('/nonexistent/gw.yaml')).toThrow(/does not exist/);
  });
});

describe('zone config against the hardware', () => {
  const hw = hardwareOf(parseGatewayFile(minimal(), 't', '/', {}));
  it("accepts a paddy zone on the gateway's sensors and relays", () => {
    expect(
      zonesAgainstHardware(
        {
          version: 2,
          timezone: 'Asia/Ho_Chi_Minh',
          pumps: [{ pump: 'p1', valves: ['v1'], maxOpenValves: 1 }],
          zones: [
            {
              id: 'z1',
              mode: 'off',
              valves: ['v1'],
              intakeValve: 'v1',
              pump: 'p1',
              salinityLimitPpt: 2,
              maxRunMinutes: 60,
              staleAfterSeconds: 300,
              sensors: {
                waterLevel: { sensor: 'wl1', metric: 'water_level' },
                intakeSalinity: { sensor: 'sal1', metric: 'salinity' },
              },
            },
          ],
        },
        hw,
      ),
    ).toEqual([]);
  });

  it('lists every reason a config cannot run here', () => {
    const reasons = zonesAgainstHardware(
      {
        version: 2,
        timezone: 'Asia/Ho_Chi_Minh',
        pumps: [],
        zones: [
          {
            id: 'z1',
            mode: 'off',
            valves: ['p1'],
            intakeValve: 'p1',
            pump: 'v1',
            salinityLimitPpt: 2,
            maxRunMinutes: 60,
            staleAfterSeconds: 300,
            sensors: { soilMoisture: { sensor: 'soil9', metric: 'soil_moisture' } },
          },
        ],
      },
      hw,
    );
    expect(reasons).toEqual([
      'zone z1: "p1" is a pump, not a valve',
      'zone z1: pump "v1" is not a pump actuator on this gateway',
      'zone z1: sensors.soilMoisture: no sensor device "soil9" on this gateway',
      'zone z1: intake valve "p1" needs sensors.intakeSalinity (salinity interlock)',
    ]);
  });
});
