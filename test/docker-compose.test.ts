import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../cloud/config.js';
import { buildProgram } from '../cli/main.js';
import { loadGatewayFile } from '../edge/config.js';

// No Docker engine runs on the project's machines: check the compose file against the project instead.
const root = fileURLToPath(new URL('..', import.meta.url));
const composeText = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const compose = YAML.parse(composeText) as {
  services: Record<
    string,
    {
      build?: { context: string; dockerfile: string };
      image?: string;
      command?: string[];
      environment?: Record<string, string | number>;
      ports?: string[];
      volumes?: string[];
    }
  >;
  volumes: Record<string, unknown>;
};
const services = compose.services;

function bindMounts(): { service: string; host: string; target: string }[] {
  return Object.entries(services).flatMap(([service, s]) =>
    (s.volumes ?? [])
      .map((v) => v.split(':'))
      .filter(([host]) => host!.startsWith('.'))
      .map(([host, target]) => ({ service, host: host!, target: target! })),
  );
}

describe('docker-compose.yml', () => {
  it('runs the whole real stack', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['mosquitto', 'influxdb', 'postgres', 'cloud', 'gateway', 'paddy-sim', 'node-red']),
    );
    expect(services.influxdb!.image).toMatch(/^influxdb:2/);
    // built FROM nodered/node-red:4.x with the project's nodes installed beside it
    expect(services['node-red']!.build).toMatchObject({ context: './flows', dockerfile: 'Dockerfile' });
    expect(fs.readFileSync(path.join(root, 'flows/Dockerfile'), 'utf8')).toMatch(/^FROM nodered\/node-red:4\./m);
  });

  it('refers only to files that exist in the project', () => {
    const mounts = bindMounts();
    expect(mounts.length).toBeGreaterThanOrEqual(3);
    for (const m of mounts) expect(fs.existsSync(path.join(root, m.host)), `${m.service}: ${m.host}`).toBe(true);
    for (const s of Object.values(services)) {
      if (s.build) expect(fs.existsSync(path.join(root, s.build.context, s.build.dockerfile))).toBe(true);
    }
  });

  it('gives the cloud only configuration keys the cloud knows, and a port that matches', () => {
    const env = services.cloud!.environment!;
    for (const key of Object.keys(env)) expect(Object.keys(CONFIG_KEYS), key).toContain(key);
    expect(services.cloud!.ports).toContain(`${env.PORT}:${env.PORT}`);
    expect(String(env.MQTT_URL)).toBe('mqtt://mosquitto:1883');
    expect(String(env.INFLUX_URL)).toMatch(/^http:\/\/influxdb:8086$/);
    expect(String(env.DATABASE_URL)).toMatch(/@postgres:5432\//);
    expect(env.RUONGSO_MODE).toBe('production');
  });

  it('asks for every secret through .env.example instead of shipping a default', () => {
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const vars = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)(:[?-][^}]*)?\}/g)].map((m) => m[1]!));
    expect(vars.size).toBeGreaterThan(3);
    for (const v of vars) expect(example, v).toMatch(new RegExp(`^${v}=`, 'm'));
    for (const m of composeText.matchAll(/\$\{([A-Z0-9_]+)(:[?-][^}]*)?\}/g)) {
      if (/PASSWORD|TOKEN|SECRET|HASH/.test(m[1]!))
        expect(m[2], `${m[1]} needs :? (no default secret)`).toMatch(/^:\?/);
    }
  });

  it('mounts the broker files where the project mosquitto.conf expects them', () => {
    const conf = fs.readFileSync(path.join(root, 'deploy/mosquitto/mosquitto.conf'), 'utf8');
    const targets = (services.mosquitto!.volumes ?? []).map((v) => v.split(':')[1]!);
    const mountedUnder = (file: string) => targets.some((t) => file === t || file.startsWith(`${t}/`));
    for (const key of ['password_file', 'acl_file', 'persistence_location']) {
      const value = conf.match(new RegExp(`^${key} (.+)$`, 'm'))![1]!.trim();
      expect(mountedUnder(value.replace(/\/$/, '')), `${key} ${value}`).toBe(true);
    }
    expect(services.mosquitto!.command!.join(' ')).toContain(targets.find((t) => t.endsWith('mosquitto.conf')));
    expect(conf).toMatch(/^persistence true$/m);
    expect(conf).toMatch(/^allow_anonymous false$/m);
  });

  it('runs commands the ruongso CLI has', async () => {
    const program = await buildProgram();
    const names = (cmd: typeof program): string[] =>
      cmd.commands.flatMap((c) => [c.name(), ...names(c).map((n) => `${c.name()} ${n}`)]);
    const known = names(program);
    for (const [name, s] of Object.entries(services)) {
      if (!s.build || s.build.context !== '.') continue;
      const cmd = s.command!.filter((w) => !w.startsWith('-'));
      const sub = cmd[0] === 'sim' ? `sim ${cmd[1]}` : cmd[0]!;
      expect(known, `${name}: ruongso ${sub}`).toContain(sub);
    }
  });

  it('runs the gateway on a valid config that points at the compose services', () => {
    const mount = bindMounts().find((m) => m.service === 'gateway' && m.target.endsWith('.yaml'))!;
    expect(services.gateway!.command).toEqual(['gateway', '--config', mount.target]);
    const file = loadGatewayFile(path.join(root, mount.host), { RUONGSO_MQTT_PASSWORD: 'x' });
    expect(file.mqtt.url).toBe('mqtt://mosquitto:1883');
    expect(file.mqtt.password).toBe('x');
    expect(Object.keys(services.gateway!.environment!)).toContain('RUONGSO_MQTT_PASSWORD');
    expect(file.buses.map((b) => b.url)).toEqual(['tcp://paddy-sim:5020']);
    expect(services['paddy-sim']!.command!.join(' ')).toContain('--tcp 5020');
    expect(composeText).toMatch(new RegExp(`mosquitto_passwd -b \\S+ ${file.gatewayId} `));
    expect(file.dataDir).toBe(services.gateway!.volumes!.find((v) => v.startsWith('gateway-data:'))!.split(':')[1]);
  });

  it('builds the distribution into the image and runs it, not tsx', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN .*npm run build:ui && npm run build && npm prune --omit=dev/m);
    expect(dockerfile).toMatch(/^ENV RUONGSO_FROM=dist$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/ruongso\.js"\]$/m);
    expect(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n')).toContain('dist');
    for (const [name, s] of Object.entries(services)) {
      if (!s.build || s.build.context !== '.') continue;
      expect(JSON.stringify(s), name).not.toMatch(/tsx|entrypoint/);
    }
    // after `npm prune --omit=dev` the packages left outside the bundle must still be there
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const external = [
      ...fs
        .readFileSync(path.join(root, 'bin/build.js'), 'utf8')
        .match(/external: \[([^\]]+)\]/)![1]!
        .matchAll(/'([^']+)'/g),
    ].map((m) => m[1]!);
    expect(external.length).toBeGreaterThan(3);
    for (const e of external.filter((x) => !x.includes('*') && x !== 'esbuild' && x !== 'thread-stream'))
      expect(Object.keys(pkg.dependencies), e).toContain(e);
  });

  it('names only named volumes it declares', () => {
    for (const s of Object.values(services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (!src.startsWith('.') && !src.startsWith('/')) expect(Object.keys(compose.volumes)).toContain(src);
      }
    }
  });
});
