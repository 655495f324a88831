import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const BIN = path.resolve(import.meta.dirname, '../bin/ruongso.js');
const run = promisify(execFile);

async function check(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, 'gateway', '--config', file, '--check'], { timeout: 60_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ruongso gateway --check', () => {
  it('exits non-zero listing every problem start would hit, and 0 for the shipped example', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-check-cli-'));
    try {
      writeFileSync(
        path.join(dir, 'bad-type.yaml'),
        'name: bad-type\npoints:\n  - { metric: water_level, address: 0, type: int16 }\n',
      );
      writeFileSync(
        path.join(dir, 'gateway.yaml'),
        [
          'gatewayId: gw-cli',
          'mqtt: { url: "mqtt://127.0.0.1:1" }',
          'buses:',
          '  - { id: rs485, url: "rtu:///dev/ttyUSB0?stopBits=3" }',
          'devices:',
          '  - { id: wl1, bus: rs485, profile: ./bad-type.yaml }',
          '  - { id: sal1, bus: rs485, unitId: 2, profile: ./nowhere.yaml }',
          '',
        ].join('\n'),
      );
      const bad = await check(path.join(dir, 'gateway.yaml'));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('3 problem(s)');
      expect(bad.stderr).toMatch(/buses\.0\.url: .*stopBits=3: stopBits must be one of 1, 2/);
      expect(bad.stderr).toMatch(/devices\.0\.profile: .*points\.0\.type/);
      expect(bad.stderr).toMatch(/devices\.1\.profile: device profile file .*nowhere\.yaml does not exist/);
      expect(bad.stdout).not.toContain('ok');

      const good = await check(path.resolve(import.meta.dirname, '../examples/gateway.yaml'));
      expect(good.stderr).toBe('');
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/ok — gateway gw-example-1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
