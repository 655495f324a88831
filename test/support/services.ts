import net from 'node:net';
import { execFileSync } from 'node:child_process';

/** Under CI a missing service fails the run; locally the suite skips with a message naming it. */
export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

export function tcpOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    const t = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns true when the service is there. When it is not: throws under CI, otherwise prints
 * which service is missing and returns false so the caller can `describe.skipIf(!ok)`.
 */
export async function requireService(name: string, check: () => boolean | Promise<boolean>): Promise<boolean> {
  let ok = false;
  try {
    ok = await check();
  } catch {
    ok = false;
  }
  if (ok) return true;
  if (IN_CI) throw new Error(`${name} is required under CI=true but is not available`);
  console.warn(`[skip] ${name} is not available here; its suite is skipped (it runs under CI=true)`);
  return false;
}

export const services = {
  mosquitto: () => requireService('Mosquitto (127.0.0.1:1883)', () => tcpOpen(1883)),
  mosquittoBinary: () => requireService('mosquitto binary (apt-get install mosquitto)', () => hasCommand('mosquitto')),
  postgres: () => requireService('PostgreSQL (127.0.0.1:5432)', () => tcpOpen(5432)),
  influxd: () => requireService('InfluxDB binary influxd (apt-get install influxdb)', () => hasCommand('influxd')),
  socat: () => requireService('socat (apt-get install socat)', () => hasCommand('socat')),
  pymodbus: () =>
    requireService('python3-pymodbus for /usr/bin/python3 (apt-get install python3-pymodbus)', () => {
      try {
        execFileSync('/usr/bin/python3', ['-c', 'import pymodbus'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    }),
  mbpoll: () => requireService('mbpoll (apt-get install mbpoll)', () => hasCommand('mbpoll')),
  chromium: () =>
    requireService('Chromium at /usr/bin/chromium (apt-get install chromium)', () => hasCommand('/usr/bin/chromium')),
};
