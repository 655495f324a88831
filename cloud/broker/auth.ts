import { createHash, timingSafeEqual } from 'node:crypto';
import { filters, parseTopic, ROOT, ID_PATTERN, isReservedLogin } from '../../protocol/index.js';
import { verifyPassword } from '../registry/password.js';

/**
 * Who is on the broker and what they may touch. The cloud's own users (ingest, Node-RED) may
 * touch everything under the namespace; a gateway logs in with its id as username and the secret
 * issued at provisioning (scrypt hash in the registry), publishes only its own uplink channels and
 * receives only its own config and commands — the same rules as deploy/mosquitto/acl.
 */
export type BrokerIdentity =
  { kind: 'cloud'; username: string } | { kind: 'gateway'; gatewayId: string } | { kind: 'drone'; droneId: string };

export interface BrokerAuthOptions {
  /** username → password of the cloud's own clients */
  cloudUsers: Record<string, string>;
  /** drone id → password: a drone may only publish its own as-applied log */
  drones?: Record<string, string>;
  /** the stored scrypt hash of a gateway's broker secret, or null when it has none */
  gatewayCredentialHash(gatewayId: string): Promise<string | null>;
}

const UPLINK = new Set(['state', 'telemetry', 'event', 'config/ack', 'cmd/ack']);
const DOWNLINK = new Set(['config', 'cmd']);
const sha = (s: string) => createHash('sha256').update(s).digest();

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

export class BrokerAuth {
  // scrypt is slow on purpose; after a broker restart thousands of gateways reconnect at once,
  // so a verified (hash, password digest) pair is remembered until the hash changes
  #verified = new Map<string, { hash: string; digest: Buffer }>();

  constructor(private readonly opts: BrokerAuthOptions) {}

  async authenticate(username: string | undefined, password: string | undefined): Promise<BrokerIdentity | null> {
    if (!username || password === undefined) return null;
    const cloudPass = this.opts.cloudUsers[username];
    if (cloudPass !== undefined) return sameSecret(cloudPass, password) ? { kind: 'cloud', username } : null;
    const dronePass = this.opts.drones?.[username];
    if (dronePass !== undefined) return sameSecret(dronePass, password) ? { kind: 'drone', droneId: username } : null;
    // a service name can never be a gateway, even if a registry row says so
    if (!ID_PATTERN.test(username) || isReservedLogin(username)) return null;
    const hash = await this.opts.gatewayCredentialHash(username);
    if (!hash) return null;
    const seen = this.#verified.get(username);
    if (seen && seen.hash === hash && timingSafeEqual(seen.digest, sha(password)))
      return { kind: 'gateway', gatewayId: username };
    if (!(await verifyPassword(password, hash))) return null;
    this.#verified.set(username, { hash, digest: sha(password) });
    return { kind: 'gateway', gatewayId: username };
  }

  /**
   * A client id is an identity: a second CONNECT with it takes over the first one's session. So
   * a login may use only its own: a gateway or drone exactly its id, a cloud service user its
   * username or `username:anything` (":" cannot occur in a gateway or drone id, so no login's
   * namespace overlaps another's). Mosquitto does the same with `use_username_as_clientid`.
   */
  clientIdAllowed(who: BrokerIdentity, clientId: string): boolean {
    if (who.kind === 'gateway') return clientId === who.gatewayId;
    if (who.kind === 'drone') return clientId === who.droneId;
    return clientId === who.username || clientId.startsWith(`${who.username}:`);
  }

  canPublish(who: BrokerIdentity, topic: string): boolean {
    if (topic.startsWith('$')) return false;
    if (who.kind === 'cloud') return topic.startsWith(`${ROOT}/`);
    const t = parseTopic(topic);
    if (who.kind === 'drone') return t?.kind === 'drone' && t.droneId === who.droneId;
    return t?.kind === 'gw' && t.gatewayId === who.gatewayId && UPLINK.has(t.channel);
  }

  canSubscribe(who: BrokerIdentity, filter: string): boolean {
    if (who.kind === 'cloud')
      return filter.startsWith(`${ROOT}/`) || filter.startsWith('$share/') || filter.startsWith('$SYS/');
    if (who.kind === 'drone') return false;
    if (filter === filters.hostStates) return true;
    // a gateway may only look inside its own subtree (and gets only its downlink from there)
    const own = `${ROOT}/gw/${who.gatewayId}/`;
    return filter.startsWith(own) && !filter.slice(0, own.length).includes('+');
  }

  /** checked per delivered message: a gateway never sees another's traffic, nor its own uplink */
  canReceive(who: BrokerIdentity, topic: string): boolean {
    if (who.kind === 'cloud') return true;
    if (who.kind === 'drone') return false;
    const t = parseTopic(topic);
    if (t?.kind === 'host') return true;
    return t?.kind === 'gw' && t.gatewayId === who.gatewayId && DOWNLINK.has(t.channel);
  }
}
