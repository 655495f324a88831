import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generatePassword } from '../auth/password.js';
import { CONFIG_KEYS } from '../config.js';

/** The secrets of one demo data directory: the demo accounts' password and the demo drone's. */
export interface DemoCredentials {
  password: string;
  dronePassword: string;
}

const File = z.object({ password: z.string().min(8), dronePassword: z.string().min(8) });
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

/**
 * Reads `DATA_DIR/demo-credentials.json`, or creates it with fresh random passwords (mode 0600):
 * every demo install has its own, printed at start, and a second start reuses them.
 */
export function demoCredentials(dataDir: string): DemoCredentials {
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  try {
    const parsed = File.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    /* missing or unreadable: make new ones */
  }
  const creds = { password: generatePassword(12), dronePassword: generatePassword(20) };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return creds;
}

/**
 * What the demo entry points (`ruongso demo`, `npm start`, `RUONGSO_MODE=demo ruongso cloud`) lay over the
 * environment: demo mode, loopback unless HOST is set, and this data directory's password for
 * the demo accounts unless ADMIN_PASSWORD is set.
 */
export function demoOverrides(
  env: NodeJS.ProcessEnv,
  dataDir?: string,
): { RUONGSO_MODE: 'demo'; HOST: string; ADMIN_PASSWORD: string } {
  const dir = dataDir ?? (env.DATA_DIR || CONFIG_KEYS.DATA_DIR.schema.parse(undefined));
  return {
    RUONGSO_MODE: 'demo',
    HOST: env.HOST || '127.0.0.1',
    ADMIN_PASSWORD: env.ADMIN_PASSWORD || demoCredentials(dir).password,
  };
}
