import net from 'node:net';
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { MAX_PAYLOAD_BYTES } from '../../protocol/index.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import type { BrokerAuth, BrokerIdentity } from './auth.js';
import { portInUse, BrokerError } from './errors.js';

export interface EmbeddedBrokerOptions {
  port: number;
  host?: string;
  /** without it every client may do anything (tests of other parts only) */
  auth?: BrokerAuth;
  log?: Logger;
  /** largest PUBLISH payload accepted (default MAX_PAYLOAD_BYTES, as Mosquitto's message_size_limit) */
  maxMessageBytes?: number;
}

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  readonly aedes: Aedes;
  close(): Promise<void>;
}

const refusal = (msg: string, returnCode: AuthenticateError['returnCode']): AuthenticateError =>
  Object.assign(new Error(msg), { returnCode });

/** Aedes' auth hooks on BrokerAuth; who a client is stays with its connection. */
function authHooks(auth: BrokerAuth, log: Logger, maxBytes: number): AedesOptions {
  const who = new WeakMap<Client, BrokerIdentity>();
  return {
    authenticate: (client, username, password, done) => {
      auth.authenticate(username, password?.toString('utf8')).then(
        (id) => {
          if (!id) {
            log.warn({ clientId: client.id, username }, 'broker login refused');
            return done(refusal('bad username or password', 4), false);
          }
          if (!auth.clientIdAllowed(id, client.id)) {
            log.warn({ clientId: client.id, username }, 'broker login refused: client id not bound to this login');
            return done(refusal('identifier rejected', 2), false);
          }
          who.set(client, id);
          done(null, true);
        },
        (err: unknown) => {
          log.error({ err, username }, 'broker login check failed');
          done(refusal('server unavailable', 3), false);
        },
      );
    },
    authorizePublish: (client, packet, cb) => {
      // client is null only when Aedes publishes a stored last will of a client long gone
      if (!client) return cb(null);
      if (packet.payload.length > maxBytes) {
        log.warn(
          { clientId: client.id, topic: packet.topic, bytes: packet.payload.length },
          'publish refused: too large',
        );
        return cb(refusal(`message over ${maxBytes} bytes`, 5));
      }
      const id = who.get(client);
      if (id && auth.canPublish(id, packet.topic)) return cb(null);
      log.warn({ clientId: client.id, topic: packet.topic }, 'publish refused');
      cb(refusal(`not allowed to publish to ${packet.topic}`, 5));
    },
    authorizeSubscribe: (client, sub, cb) => {
      const id = who.get(client);
      if (id && auth.canSubscribe(id, sub.topic)) return cb(null, sub);
      log.warn({ clientId: client.id, filter: sub.topic }, 'subscription refused');
      cb(null, null); // SUBACK 0x80 for this filter, the connection stays
    },
    authorizeForward: (client, packet) => {
      const id = who.get(client);
      return id && auth.canReceive(id, packet.topic) ? packet : null;
    },
  };
}

/**
 * Aedes on a TCP port, for the one-command demo. Persistence is Aedes' default, in memory:
 * retained messages, queued QoS 1 messages and sessions die with the process. Production runs
 * Mosquitto (MQTT_URL) with persistence on. Aedes speaks MQTT 3.1.1 and has no shared
 * subscriptions: the ingest subscribes without `$share/` here (one cloud instance anyway).
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const log = (opts.log ?? rootLog).child({ mod: 'broker' });
  const host = opts.host ?? '0.0.0.0';
  const aedes = await Aedes.createBroker({
    drainTimeout: 30_000,
    ...(opts.auth ? authHooks(opts.auth, log, opts.maxMessageBytes ?? MAX_PAYLOAD_BYTES) : {}),
  });
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'client error'));

  const server = net.createServer(aedes.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((r) => aedes.close(() => r()));
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw portInUse('MQTT_PORT', opts.port, 'MQTT_URL to use that broker');
    throw new BrokerError(
      'BROKER_LISTEN',
      `the embedded broker cannot listen on ${host}:${opts.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const port = (server.address() as net.AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  log.info({ port }, 'embedded MQTT broker listening (in-memory persistence)');
  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    aedes,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((r) => aedes.close(() => r()));
        await new Promise<void>((r) => server.close(() => r()));
      })()),
  };
}
