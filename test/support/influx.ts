import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from '../../lib/ports.js';

export interface InfluxServer {
  url: string;
  port: number;
  dataDir: string;
  /** stop the server, keeping its data (for outage tests) */
  /** SIGTERM (a clean stop) unless told otherwise, e.g. SIGKILL for a crash */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** start it again on the same port and data */
  start(): Promise<void>;
  /** send a signal to the running server (SIGSTOP freezes it, SIGCONT thaws it) */
  signal(sig: NodeJS.Signals): void;
  /** stop and delete the data dir */
  destroy(): Promise<void>;
  /** create a database through the v1 API */
  createDb(db: string): Promise<void>;
  query(db: string, q: string): Promise<unknown>;
}

/** Starts Debian's influxd (1.x) on a port and data dir of its own. */
export async function startInflux(): Promise<InfluxServer> {
  const port = await freePort();
  const rpcPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-influx-'));
  const conf = path.join(dataDir, 'influxdb.conf');
  fs.writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dataDir}/meta"`,
      '[data]',
      `  dir = "${dataDir}/data"`,
      `  wal-dir = "${dataDir}/wal"`,
      '  query-log-enabled = false',
      '[http]',
      '  enabled = true',
      `  bind-address = "127.0.0.1:${port}"`,
      '  log-enabled = false',
      '  max-body-size = 0',
      '[monitor]',
      '  store-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '',
    ].join('\n'),
  );
  let proc: ChildProcess | undefined;
  const url = `http://127.0.0.1:${port}`;

  const start = async () => {
    proc = spawn('influxd', ['run', '-config', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) =>
      proc!.once('exit', (code) => reject(new Error(`influxd exited (${code}): ${stderr}`))),
    );
    await Promise.race([waitForPort(port, '127.0.0.1', 30_000), exited]);
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${url}/ping`).catch(() => null);
      if (res && res.status === 204) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('influxd did not answer /ping');
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
      setTimeout(() => p.kill('SIGKILL'), 10_000).unref();
    });
  };
  const q = async (db: string, query: string, method: 'GET' | 'POST' = 'GET') => {
    const params = new URLSearchParams({ q: query, epoch: 'ms' });
    if (db) params.set('db', db);
    const res = await fetch(`${url}/query?${params}`, { method });
    if (!res.ok) throw new Error(`influx query failed ${res.status}: ${await res.text()}`);
    return res.json();
  };
  await start();
  return {
    url,
    port,
    dataDir,
    stop,
    start,
    signal: (sig) => {
      proc?.kill(sig);
    },
    destroy: async () => {
      proc?.kill('SIGCONT');
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    createDb: async (db) => {
      await q('', `CREATE DATABASE "${db}"`, 'POST');
    },
    query: (db, query) => q(db, query),
  };
}
