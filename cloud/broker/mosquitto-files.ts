import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { filters, isReservedLogin } from '../../protocol/index.js';
import { RuongSoError } from '../../lib/errors.js';

/**
 * Mosquitto's password and ACL files for the gateways the registry knows. Passwords go through
 * Debian's `mosquitto_passwd` (Mosquitto's own hash format); the ACL names every gateway's own
 * topics explicitly, so a gateway's login can touch nothing else.
 */
export class MosquittoFilesError extends RuongSoError<'MOSQUITTO_PASSWD_FAILED' | 'GATEWAY_ID_RESERVED'> {}

export function addMosquittoPassword(passwdFile: string, username: string, password: string): void {
  fs.mkdirSync(path.dirname(passwdFile), { recursive: true });
  if (!fs.existsSync(passwdFile)) fs.writeFileSync(passwdFile, '', { mode: 0o600 });
  try {
    execFileSync('mosquitto_passwd', ['-b', passwdFile, username, password], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    throw new MosquittoFilesError(
      'MOSQUITTO_PASSWD_FAILED',
      `mosquitto_passwd could not write ${passwdFile} (is the mosquitto package installed?)`,
      { cause },
    );
  }
}

/**
 * The ACL text: each cloud instance's login and Node-RED's see everything, each gateway only its
 * own topics (and the ingest hosts' state, to know when it may send telemetry). A reserved name
 * (a service's) is never written as a gateway.
 */
export function mosquittoAcl(
  gatewayIds: string[],
  users: { cloud?: string | string[]; nodered?: string } = {},
): string {
  const lines = ['# written by `ruongso broker provision`: do not edit, run it again', ''];
  const cloudUsers = [users.cloud ?? 'cloud'].flat();
  for (const u of cloudUsers) lines.push(`user ${u}`, 'topic readwrite ruongso/v1/#', 'topic read $SYS/#', '');
  lines.push(`user ${users.nodered ?? 'nodered'}`, 'topic readwrite ruongso/v1/#', '');
  for (const id of [...gatewayIds].sort()) {
    if (isReservedLogin(id) || cloudUsers.includes(id))
      throw new MosquittoFilesError('GATEWAY_ID_RESERVED', `"${id}" is a service login, not a gateway id`);
    const root = filters.gatewaySubtree(id).slice(0, -2);
    lines.push(
      `user ${id}`,
      ...['state', 'telemetry', 'event', 'config/ack', 'cmd/ack'].map((c) => `topic write ${root}/${c}`),
      ...['config', 'cmd'].map((c) => `topic read ${root}/${c}`),
      '',
    );
  }
  // every login may read the ingest hosts' state
  lines.push(`pattern read ${filters.hostStates}`, '');
  return lines.join('\n');
}

export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}
