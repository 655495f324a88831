import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '../../lib/ports.js';

export const PROJECT_MOSQUITTO_CONF = fileURLToPath(new URL('../../deploy/mosquitto/mosquitto.conf', import.meta.url));
export const PROJECT_MOSQUITTO_ACL = fileURLToPath(new URL('../../deploy/mosquitto/acl', import.meta.url));

export interface MosquittoServer {
  url: string;
  port: number;
  dir: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export interface MosquittoOptions {
  /** username → password; default: cloud/cloud-secret */
  users?: Record<string, string>;
  /** ACL file text; default: the project's deploy/mosquitto/acl */
  acl?: string;
  /** use this password file as it is instead of writing one from `users` */
  passwdFile?: string;
  /** extra config lines appended */
  extra?: string[];
}

/** Starts a Mosquitto of our own from the project's mosquitto.conf on a free port. */
export async function startMosquitto(opts: MosquittoOptions = {}): Promise<MosquittoServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-mosq-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const passwd = opts.passwdFile ?? path.join(dir, 'passwd');
  const acl = path.join(dir, 'acl');
  if (!opts.passwdFile) {
    fs.writeFileSync(passwd, '');
    for (const [user, pass] of Object.entries(opts.users ?? { cloud: 'cloud-secret' })) {
      execFileSync('mosquitto_passwd', ['-b', passwd, user, pass], { stdio: 'ignore' });
    }
  }
  fs.writeFileSync(acl, opts.acl ?? fs.readFileSync(PROJECT_MOSQUITTO_ACL, 'utf8'));
  const conf = fs
    .readFileSync(PROJECT_MOSQUITTO_CONF, 'utf8')
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/data/`)
    .replace(/^password_file .*$/m, `password_file ${passwd}`)
    .replace(/^acl_file .*$/m, `acl_file ${acl}`)
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^log_dest stdout$/m, `log_dest file ${dir}/mosquitto.log`);
  const confPath = path.join(dir, 'mosquitto.conf');
  // as root Mosquitto drops to user "mosquitto", which cannot read our temp dir
  const asRoot = process.getuid?.() === 0 ? ['user root'] : [];
  fs.writeFileSync(confPath, [conf, ...asRoot, ...(opts.extra ?? [])].join('\n') + '\n');
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn('mosquitto', ['-c', confPath], { stdio: 'ignore' });
    const exited = new Promise<never>((_, reject) =>
      proc!.once('exit', (code) =>
        reject(
          new Error(
            `mosquitto exited (${code}): ${fs.existsSync(`${dir}/mosquitto.log`) ? fs.readFileSync(`${dir}/mosquitto.log`, 'utf8').slice(-2000) : ''}`,
          ),
        ),
      ),
    );
    await Promise.race([waitForPort(port, '127.0.0.1', 15_000), exited]);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop,
    destroy: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
