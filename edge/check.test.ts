import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { checkGatewayFile } from './check.js';
import { parseGatewayFile } from './config.js';
import { Gateway } from './gateway.js';
import type { ControlEvent } from './control/index.js';
import type { Hardware } from './hardware.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'gw-check-'));
  dirs.push(d);
  return d;
}

const base = (over: Record<string, unknown> = {}) => ({
  gatewayId: 'gw-check',
  mqtt: { url: 'mqtt://127.0.0.1:1' },
  buses: [{ id: 'field', url: 'tcp://127.0.0.1:5020' }],
  devices: [
    { id: 'wl1', bus: 'field', unitId: 1, profile: 'paddy-water-level' },
    { id: 'sal1', bus: 'field', unitId: 2, profile: 'intake-salinity' },
    { id: 'relays', bus: 'field', unitId: 4, profile: 'relay-board-8ch', poll: false },
  ],
  actuators: [
    { id: 'v1', kind: 'intake', device: 'relays', coil: 'relay5' },
    { id: 'p1', kind: 'pump', device: 'relays', coil: 6 },
  ],
  ...over,
});

function write(dir: string, content: unknown, name = 'gateway.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : YAML.stringify(content));
  return file;
}

describe('checkGatewayFile (ruongso gateway --check)', () => {
  it('passes a file that can start', () => {
    const r = checkGatewayFile(write(tmp(), base()));
    expect(r.problems).toEqual([]);
    expect(r.file?.gatewayId).toBe('gw-check');
  });

  it('lists every problem at once: a missing profile file, a bad register type, a bad bus URL, a coil the board lacks', () => {
    const dir = tmp();
    write(dir, 'name: my-level\npoints:\n  - { metric: water_level, address: 0, type: int16 }\n', 'my-level.yaml');
    const r = checkGatewayFile(
      write(
        dir,
        base({
          buses: [
            { id: 'field', url: 'tcp://127.0.0.1:5020' },
            { id: 'rs485', url: 'rtu:///dev/ttyUSB0?baud=9600&stopBits=3' },
          ],
          devices: [
            { id: 'wl1', bus: 'field', profile: './my-level.yaml' },
            { id: 'sal1', bus: 'rs485', profile: './missing.yaml' },
            { id: 'relays', bus: 'field', unitId: 4, profile: 'relay-board-8ch', poll: false },
          ],
          actuators: [
            { id: 'v1', kind: 'intake', device: 'relays', coil: 'relay9' },
            { id: 'p1', kind: 'pump', device: 'relays', coil: 12 },
          ],
        }),
      ),
    );
    expect(r.problems).toEqual([
      expect.stringMatching(/^buses\.1\.url: .*stopBits=3: stopBits must be one of 1, 2/),
      expect.stringMatching(/^devices\.0\.profile: .*my-level\.yaml is not a valid device profile: points\.0\.type/),
      expect.stringMatching(/^devices\.1\.profile: device profile file .*missing\.yaml does not exist/),
      expect.stringMatching(
        /^actuators\.0\.coil: profile relay-board-8ch of device relays has no coil "relay9"; coils: relay1, relay2/,
      ),
      expect.stringMatching(/^actuators\.1\.coil: coil 12 is not on the board/),
    ]);
  });

  it('names the keys the schema refuses and still checks the profiles named', () => {
    const r = checkGatewayFile(
      write(
        tmp(),
        base({
          devices: [{ id: 'wl1', bus: 'nowhere', profile: 'no-such-sensor' }],
          actuators: [],
          loop: { intervalMs: 5 },
        }),
      ),
    );
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^loop\.intervalMs: /),
        expect.stringMatching(/^devices\.0\.profile: no shipped device profile "no-such-sensor"/),
      ]),
    );
  });

  it('refuses two devices on one unit id, two actuators on one coil and a zone metric its device lacks', () => {
    const r = checkGatewayFile(
      write(
        tmp(),
        base({
          devices: [
            { id: 'wl1', bus: 'field', unitId: 1, profile: 'paddy-water-level' },
            { id: 'sal1', bus: 'field', unitId: 1, profile: 'intake-salinity' },
            { id: 'relays', bus: 'field', unitId: 4, profile: 'relay-board-8ch', poll: false },
          ],
          actuators: [
            { id: 'v1', kind: 'intake', device: 'relays', coil: 'relay5' },
            { id: 'p1', kind: 'pump', device: 'relays', coil: 4 },
          ],
          initialConfig: {
            version: 1,
            zones: [
              {
                id: 'z1',
                mode: 'awd',
                valves: ['v1'],
                intakeValve: 'v1',
                awd: {},
                sensors: {
                  waterLevel: { sensor: 'wl1', metric: 'water_level' },
                  intakeSalinity: { sensor: 'wl1', metric: 'salinity' },
                },
              },
            ],
          },
        }),
      ),
    );
    expect(r.problems).toEqual([
      expect.stringMatching(/^devices\.1\.unitId: unit 1 on bus field is already device wl1/),
      expect.stringMatching(/^actuators\.1\.coil: coil 4 of relays already drives v1/),
      expect.stringMatching(
        /^initialConfig\.zones\.0\.sensors\.intakeSalinity: device wl1 \(profile paddy-water-level\) has no metric salinity/,
      ),
    ]);
  });

  it('refuses a dataDir it cannot write', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'a-file'), 'not a directory');
    const r = checkGatewayFile(write(dir, base({ dataDir: './a-file/data' })));
    expect(r.problems).toEqual([
      expect.stringMatching(
        /^dataDir: .*a-file\/data cannot be created or written \(.*a-file is not a writable directory\)/,
      ),
    ]);
  });

  it("warns when a profile's serial settings differ from its RTU bus", () => {
    const r = checkGatewayFile(
      write(
        tmp(),
        base({
          buses: [{ id: 'field', url: 'rtu:///dev/ttyUSB0?baud=19200&parity=even&stopBits=2' }],
        }),
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.warnings[0]).toBe(
      "device wl1: its profile's serial settings differ from bus field: baud 9600 (bus 19200), parity none (bus even), stopBits 1 (bus 2); it may not answer",
    );
    expect(r.serialMismatches.map((m) => m.device)).toEqual(['wl1', 'sal1', 'relays']);
  });
});

describe('serial settings at start', () => {
  it('emit one serial_mismatch warning per device whose profile differs from the bus', async () => {
    const dir = tmp();
    const file = parseGatewayFile(
      { ...base({ buses: [{ id: 'field', url: 'rtu:///dev/ttyUSB0?baud=19200' }] }), dataDir: dir },
      'test',
      dir,
      {},
    );
    const hardware: Hardware = {
      sensors: { onReadings: () => () => undefined, start() {}, async stop() {} },
      actuators: {
        ids: () => ['v1', 'p1'],
        async set() {},
        async closeAll() {
          return { closed: ['v1', 'p1'], failed: [] };
        },
      },
      async start() {},
      async stop() {},
    };
    const gw = new Gateway(file, { hardware, uplink: null });
    const events: ControlEvent[] = [];
    gw.on('event', (e) => events.push(e));
    await gw.start();
    await gw.stop();
    const mismatches = events.filter((e) => e.code === 'serial_mismatch');
    expect(mismatches.map((e) => e.sensor)).toEqual(['wl1', 'sal1', 'relays']);
    expect(mismatches[0]).toMatchObject({
      kind: 'alarm',
      severity: 'warning',
      data: { device: 'wl1', bus: 'field', baudDevice: 9600, baudBus: 19200 },
    });
  });
});
