import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCredentials, demoOverrides, DEMO_CREDENTIALS_FILE } from './credentials.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-democred-'));
  dirs.push(d);
  return d;
};

describe('demo credentials', () => {
  it('are generated per data directory, kept there (0600) and reused on the next start', () => {
    const a = tmp();
    const b = tmp();
    const first = demoCredentials(a);
    expect(first.password).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(first.password).not.toBe('demo-ruongso');
    expect(demoCredentials(a)).toEqual(first);
    expect(demoCredentials(b).password).not.toBe(first.password);
    expect(fs.statSync(path.join(a, DEMO_CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
  });
  it('put the demo on loopback in demo mode unless HOST or ADMIN_PASSWORD say otherwise', () => {
    const d = tmp();
    expect(demoOverrides({}, d)).toEqual({
      RUONGSO_MODE: 'demo',
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: demoCredentials(d).password,
    });
    expect(demoOverrides({ HOST: '0.0.0.0', ADMIN_PASSWORD: 'mine-1234' }, d)).toMatchObject({
      HOST: '0.0.0.0',
      ADMIN_PASSWORD: 'mine-1234',
    });
  });
});
