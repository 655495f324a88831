import mqtt, { type MqttClient } from 'mqtt';
import { filters, gatewayTopic, parseTopic, topics, type GatewayState } from '../../protocol/index.js';
import { backoffDelay } from '../../lib/backoff.js';
import { errorMessage } from '../../lib/errors.js';
import type { Clock } from '../../lib/time.js';
import type { Logger } from '../../lib/log.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import { HostStates } from './host-state.js';
import type { UplinkSettings } from './options.js';

const STOP_TIMEOUT_MS = 3000;

/** What the link tells the uplink. */
export interface LinkEvents {
  /** connected, birth published: send what waited for a connection */
  up(sessionPresent: boolean): void;
  /** the connection is gone (or closed by stop()) */
  down(): void;
  /** connected and subscribed to config and commands */
  listening(): void;
  /** queued messages may go out (an ingest host is online, or none is required), or must wait */
  gate(send: boolean): void;
  downlink(kind: 'config' | 'cmd', payload: Buffer): void;
  /** what the birth says besides online, bootId and ts */
  birth(): Pick<GatewayState, 'fw' | 'configVersion' | 'inventory' | 'degraded'>;
}

/**
 * The uplink's MQTT connection: one client with the gateway id and a persistent session, birth
 * and last will on the retained state topic, reconnects with backoff, the config/cmd
 * subscription, and the gate that opens while an ingest host is online.
 */
export class MqttLink {
  connected = false;
  private client: MqttClient | undefined;
  private everConnected = false;
  private stopping = false;
  private attempts = 0;
  private connectedAt = 0;
  private shortSessions = 0;
  private forwarding = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly hosts: HostStates;
  /** repeated connection errors: one log line per 30 s with a count */
  private readonly throttle = new LogThrottle(30_000);
  /** when the current connection was attempted: the ts of its birth and of its last will */
  private connectionTs = 0;

  constructor(
    private readonly s: UplinkSettings,
    private readonly bootId: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly on: LinkEvents,
  ) {
    this.hosts = new HostStates(s.host.graceMs);
  }

  get started(): boolean {
    return this.client !== undefined;
  }

  /** True when an ingest host is online for the forwarder to send to. */
  get hostOnline(): boolean {
    return this.hosts.anyOnline;
  }

  connect(): void {
    const s = this.s;
    const stateTopic = topics.state(s.gatewayId);
    const client = mqtt.connect(s.url, {
      clientId: s.gatewayId,
      clean: false,
      username: s.username,
      password: s.password,
      keepalive: s.keepaliveSeconds,
      reconnectPeriod: s.reconnect.minMs,
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      resubscribe: true,
      will: this.willFor(stateTopic),
    });
    this.client = client;
    client.on('connect', (connack) => this.onConnected(connack.sessionPresent));
    // each connection's will carries that connection's time, the same as its birth: the cloud
    // can tell a late will of an earlier connection (older ts) from the will of the current one
    client.on('close', () => {
      client.options.will = this.willFor(stateTopic);
      this.onClosed();
    });
    client.on('reconnect', () => this.backoff());
    client.on('error', (err) =>
      this.throttle.hit(errorMessage(err), (repeated) =>
        this.log.warn({ err: errorMessage(err), repeated }, 'MQTT connection error'),
      ),
    );
    client.on('message', (topic, payload, packet) => {
      if (parseTopic(topic)?.kind === 'host') {
        if (this.hosts.take(topic, payload, packet.retain)) this.updateGate();
      } else if (topic === topics.config(s.gatewayId)) this.on.downlink('config', payload);
      else if (topic === topics.cmd(s.gatewayId)) this.on.downlink('cmd', payload);
    });
  }

  /** Publishes a queued message (QoS 1); `done` when the broker has it, or with the error. */
  send(channel: string, payload: string, done: (err?: Error) => void): void {
    if (!this.client) {
      done(new Error('uplink stopped'));
      return;
    }
    this.client.publish(gatewayTopic(this.s.gatewayId, channel as 'telemetry'), payload, { qos: 1 }, (err) =>
      done(err ?? undefined),
    );
  }

  /** Publishes an event straight, not through the queue; false when not connected. */
  sendEvent(payload: string): boolean {
    if (!this.client || !this.connected) return false;
    this.client.publish(topics.event(this.s.gatewayId), payload, { qos: 1 });
    return true;
  }

  publishBirth(): void {
    if (!this.client || !this.connected) return;
    const { fw, ...rest } = this.on.birth();
    const birth: GatewayState = { online: true, bootId: this.bootId, fw, ts: this.connectionTs, ...rest };
    this.client.publish(topics.state(this.s.gatewayId), JSON.stringify(birth), { qos: 1, retain: true });
  }

  /** Sends nothing new, says "offline" on the state topic, waits briefly for PUBACKs, closes. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    // what is on the wire gets its PUBACK below or is resent next start
    clearTimeout(this.graceTimer);
    this.forwarding = false;
    this.on.gate(false);
    if (this.connected) {
      const offline: GatewayState = { online: false, bootId: this.bootId, ts: this.clock.now() };
      await withTimeout(
        client.publishAsync(topics.state(this.s.gatewayId), JSON.stringify(offline), { qos: 1, retain: true }),
        STOP_TIMEOUT_MS,
      ).catch(() => undefined);
    }
    const ended = await withTimeout(client.endAsync(false), STOP_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    if (!ended) await client.endAsync(true);
    this.connected = false;
    this.client = undefined;
    this.stopping = false;
    this.everConnected = false; // a new client after connect() must subscribe again
  }

  private onConnected(sessionPresent: boolean): void {
    const client = this.client;
    if (!client) return;
    this.connected = true;
    this.connectedAt = Date.now();
    this.attempts = 0;
    client.options.reconnectPeriod = this.s.reconnect.minMs;
    let subscribed: Promise<unknown> = Promise.resolve();
    if (!this.everConnected) {
      // once per process; afterwards mqtt.js (≥ 5.9) resubscribes if the broker lost the session.
      // This subscribe also makes the broker resend the retained config.
      subscribed = client
        .subscribeAsync(filters.gatewayDownlink(this.s.gatewayId), { qos: 1 })
        .then((granted) => {
          // 128 = refused by the broker, usually the ACL: the credentials do not match this gateway id
          if (granted.some((g) => g.qos === 128))
            this.log.error(
              { granted },
              'broker refused the config/cmd subscription: check the ACL and that the username is the gateway id',
            );
        })
        .catch((err) => {
          this.everConnected = false; // try again on the next connect
          this.log.error({ err: errorMessage(err) }, 'subscribing to config and commands failed');
        });
    }
    this.everConnected = true;
    this.publishBirth();
    this.on.up(sessionPresent);
    this.watchHosts(client);
    // 'listening' means the downlink is subscribed too
    void subscribed.then(() => {
      if (this.connected) this.on.listening();
    });
  }

  /**
   * Subscribes to the hosts' states at every connect (a re-subscribe resends the retained ones),
   * and opens the gate once a host is online. After a broker crash the retained "online" of a
   * host that has not resubscribed yet is stale, so on a reconnect it is trusted only after
   * graceMs, or at once when the host republishes it (it does after each of its reconnects).
   */
  private watchHosts(client: MqttClient): void {
    this.hosts.connected();
    clearTimeout(this.graceTimer);
    const { required, graceMs } = this.s.host;
    if (required) {
      client
        .subscribeAsync(filters.hostStates, { qos: 1 })
        .catch((err) => this.log.error({ err: errorMessage(err) }, 'subscribing to the ingest host state failed'));
      this.graceTimer = setTimeout(() => this.updateGate(), graceMs);
    }
    this.updateGate();
  }

  private updateGate(): void {
    const send = this.connected && !this.stopping && (!this.s.host.required || this.hosts.sendable);
    if (send === this.forwarding) return;
    this.forwarding = send;
    if (send) {
      this.log.info({ hosts: this.hosts.ids }, 'ingest host online: sending');
      this.on.gate(true);
      return;
    }
    this.on.gate(false);
    if (this.connected) this.log.warn({}, 'no ingest host online: keeping messages on disk');
  }

  private willFor(topic: string): { topic: string; payload: Buffer; qos: 1; retain: true } {
    this.connectionTs = this.clock.now();
    return {
      topic,
      payload: Buffer.from(
        JSON.stringify({ online: false, bootId: this.bootId, ts: this.connectionTs } satisfies GatewayState),
      ),
      qos: 1,
      retain: true,
    };
  }

  private onClosed(): void {
    clearTimeout(this.graceTimer);
    if (!this.connected) return;
    this.connected = false;
    this.forwarding = false;
    this.on.gate(false);
    if (!this.stopping) {
      this.log.warn({}, 'disconnected; queueing on disk');
      // a broker drops the older of two connections with one client id: if ours keeps dying right
      // after connecting, another process is running with this gateway's id and credentials
      this.shortSessions = Date.now() - this.connectedAt < 2000 ? this.shortSessions + 1 : 0;
      if (this.shortSessions >= 3) {
        this.log.error(
          { clientId: this.s.gatewayId },
          'connection keeps being taken over: is a second process running with this gateway id and credentials?',
        );
      }
    }
    this.on.down();
  }

  private backoff(): void {
    const { minMs, maxMs } = this.s.reconnect;
    // mqtt.js waits reconnectPeriod before each try: minMs before the first (set on connect), then
    // doubling, jittered so a district of gateways does not reconnect in lockstep after a broker restart
    const wait = backoffDelay(++this.attempts, { minMs: Math.min(minMs, maxMs), maxMs, jitter: 'equal' });
    if (this.client) this.client.options.reconnectPeriod = wait;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}
