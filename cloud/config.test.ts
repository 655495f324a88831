import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('cloud config', () => {
  it('has a default for every key the demo needs', () => {
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({ PORT: 8080, MQTT_PORT: 1883, DATA_DIR: './data', RUONGSO_MODE: 'production' });
    expect(cfg.MQTT_URL).toBeUndefined();
  });

  it('names the key of an invalid value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    expect(() => loadConfig({ MQTT_URL: 'localhost:1883' })).toThrow(/MQTT_URL=.*mqtt:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('takes the mission catalogue file from the configuration, refusing one that does not exist', () => {
    expect(loadConfig({}).MISSION_CATALOG_FILE).toBeUndefined();
    expect(() => loadConfig({ MISSION_CATALOG_FILE: '/nonexistent/catalog.json' })).toThrow(
      /MISSION_CATALOG_FILE=.*does not exist/,
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rs-cat-')), 'catalog.json');
    fs.writeFileSync(file, '{"drones":[],"products":[]}');
    expect(loadConfig({ MISSION_CATALOG_FILE: file }).MISSION_CATALOG_FILE).toBe(file);
  });

  it('reads a YAML file under the environment, and rejects unknown keys in it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'ruongso.yaml');
    fs.writeFileSync(file, 'PORT: 9000\nINFLUX_URL: http://127.0.0.1:8086\n');
    expect(loadConfig({ RUONGSO_CONFIG: file })).toMatchObject({ PORT: 9000, INFLUX_URL: 'http://127.0.0.1:8086' });
    expect(loadConfig({ RUONGSO_CONFIG: file, PORT: '9100' }).PORT).toBe(9100);
    fs.writeFileSync(file, 'PROT: 9000\n');
    expect(() => loadConfig({ RUONGSO_CONFIG: file })).toThrow(/unknown key\(s\) PROT/);
  });

  it('is production unless told otherwise, and refuses a short or default admin password there', () => {
    expect(loadConfig({}).RUONGSO_MODE).toBe('production');
    expect(loadConfig({ RUONGSO_MODE: 'demo', ADMIN_PASSWORD: 'short' }).RUONGSO_MODE).toBe('demo');
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short-pw' })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig({ RUONGSO_MODE: 'production', ADMIN_PASSWORD: 'admin123456789' })).toThrow(
      /ADMIN_PASSWORD/,
    );
    expect(loadConfig({ RUONGSO_MODE: 'production', ADMIN_PASSWORD: 'k8#Lq2!vT9zR' }).RUONGSO_MODE).toBe('production');
  });
});
