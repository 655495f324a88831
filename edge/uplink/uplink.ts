import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { z } from 'zod';
import {
  GatewayEvent,
  Reading,
  filters,
  gatewayTopic,
  parseTopic,
  topics,
  type CommandAck,
  type ConfigAck,
  type GatewayState,
  type Telemetry,
} from '../../protocol/index.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { errorMessage } from '../../lib/errors.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import { DiskQueue, type DropReport } from './disk-queue.js';
import { Forwarder } from './forwarder.js';
import { HostStates } from './host-state.js';
import { fittingCapacity, realStatFs, type StatFs } from './disk-guard.js';
import { Downlink, type CommandHandler, type ConfigHandler } from './downlink.js';
import { backoffDelay } from '../../lib/backoff.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { UplinkError } from './errors.js';
import { parseUplinkOptions, type UplinkOptions, type UplinkSettings } from './options.js';

export type EventInput = Omit<z.input<typeof GatewayEvent>, 'bootId' | 'seq' | 'ts'> & { ts?: number };

export interface UplinkStats {
  connected: boolean;
  /** readings waiting on disk (sealed or not) */
  queued: number;
  queuedMessages: number;
  /** readings dropped because the queue was full, since the queue was created */
  dropped: number;
  droppedMessages: number;
  /** messages acknowledged by the broker in this process */
  sent: number;
  sentReadings: number;
  inflight: number;
  /** the backlog from before the last reconnect is still going out */
  draining: boolean;
  /** bytes of the queue on disk (database + WAL) */
  diskBytes: number;
  bootId: string;
  /** next telemetry seq of this boot */
  seq: number;
  configVersion: number;
  /** an ingest host says online (queued messages go out only then, unless host.required is false) */
  hostOnline: boolean;
  /** queue bound in force: the configured one, or less when the disk has less room */
  capacityReadings: number;
  /** free bytes on the data directory's file system at the last check (-1 before it) */
  freeBytes: number;
  /** `disk_full` while queue writes fail */
  degraded: string[];
  /** readings refused since the disk failed (reported by disk_recovered) */
  lostReadings: number;
}

const ReadingList = z.array(Reading);
const STOP_TIMEOUT_MS = 3000;

/**
 * The gateway's MQTT link to the cloud: telemetry and events through a bounded on-disk queue
 * (QoS 1, deleted only after PUBACK), birth and last will on the retained state topic, and the
 * retained config and commands coming down.
 */
export class Uplink extends EventEmitter<{ connected: []; disconnected: [] }> {
  readonly settings: UplinkSettings;
  readonly bootId = randomBytes(9).toString('base64url');
  private readonly clock: Clock;
  private readonly log: Logger;
  private queue: DiskQueue | undefined;
  private forwarder: Forwarder | undefined;
  private downlink: Downlink | undefined;
  private client: MqttClient | undefined;
  private connected = false;
  private everConnected = false;
  private seq = 0;
  private eventSeq = 0;
  private configVersion: number;
  private configHandler: ConfigHandler | undefined;
  private commandHandler: CommandHandler | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private lastDropReport = Number.NEGATIVE_INFINITY;
  private attempts = 0;
  private stopping = false;
  private connectedAt = 0;
  private shortSessions = 0;
  private readonly hosts: HostStates;
  private forwarding = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly statfs: StatFs;
  /** repeated connection errors: one log line per 30 s with a count */
  private readonly throttle = new LogThrottle(30_000);
  private diskTimer: NodeJS.Timeout | undefined;
  /** the last queue write failed (disk full or read-only): degraded until one succeeds */
  private diskFailing = false;
  private lostReadings = 0;
  private freeBytes = -1;
  /** events that could not be queued on disk, sent straight on the next connection */
  private readonly direct: string[] = [];

  constructor(opts: UplinkOptions) {
    super();
    this.settings = parseUplinkOptions(opts);
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.log ?? rootLog).child({ mod: 'uplink', gatewayId: this.settings.gatewayId });
    this.configVersion = this.settings.configVersion;
    this.statfs = opts.statfs ?? realStatFs;
    this.hosts = new HostStates(this.settings.host.graceMs);
  }

  /**
   * The gateway id, stable across restarts: the broker keys the persistent session (subscriptions,
   * commands queued while offline) by it, and binds it to the gateway's login (the embedded broker
   * refuses any other; Mosquitto with `use_username_as_clientid` uses the username anyway).
   */
  get clientId(): string {
    return this.settings.gatewayId;
  }

  onConfig(handler: ConfigHandler): void {
    this.configHandler = handler;
    if (this.downlink) this.downlink.configHandler = handler;
  }

  onCommand(handler: CommandHandler): void {
    this.commandHandler = handler;
    if (this.downlink) this.downlink.commandHandler = handler;
  }

  /** The config version the gateway has in force (from its own persisted config). */
  setConfigVersion(v: number): void {
    this.configVersion = v;
    if (this.downlink) this.downlink.appliedVersion = v;
  }

  start(): void {
    if (this.queue) return;
    const s = this.settings;
    const queue = new DiskQueue(s.dataDir, { capacityReadings: s.queue.capacityReadings });
    this.queue = queue;
    this.forwarder = new Forwarder(
      queue,
      (m, done) => this.send(m.channel, m.payload, done),
      { maxInflight: s.queue.maxInflight, drainPerSecond: s.queue.drainPerSecond },
      this.log,
    );
    this.downlink = new Downlink(queue, (ch, p) => this.enqueueAck(ch, p), this.clock, this.log);
    this.downlink.configHandler = this.configHandler;
    this.downlink.commandHandler = this.commandHandler;
    this.downlink.appliedVersion = this.configVersion;
    // readings accepted by a previous process but never sealed get this boot's bootId
    this.write(() => this.seal());
    this.safely('disk check', () => this.checkDisk());
    this.diskTimer = setInterval(() => this.safely('disk check', () => this.checkDisk()), s.queue.diskCheckMs);
    this.diskTimer.unref();
    const stateTopic = topics.state(s.gatewayId);
    const client = mqtt.connect(s.url, {
      clientId: this.clientId,
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
      } else if (topic === topics.config(s.gatewayId)) void this.downlink?.handle('config', payload);
      else if (topic === topics.cmd(s.gatewayId)) void this.downlink?.handle('cmd', payload);
    });
    this.log.info({ bootId: this.bootId, queued: queue.stats().messages }, 'uplink started');
  }

  private onConnected(sessionPresent: boolean): void {
    const client = this.client;
    if (!client) return;
    this.connected = true;
    this.connectedAt = Date.now();
    this.attempts = 0;
    client.options.reconnectPeriod = this.settings.reconnect.minMs;
    let subscribed: Promise<unknown> = Promise.resolve();
    if (!this.everConnected) {
      // once per process; afterwards mqtt.js (≥ 5.9) resubscribes if the broker lost the session.
      // This subscribe also makes the broker resend the retained config.
      subscribed = client
        .subscribeAsync(filters.gatewayDownlink(this.settings.gatewayId), { qos: 1 })
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
    for (const payload of this.direct.splice(0))
      client.publish(topics.event(this.settings.gatewayId), payload, { qos: 1 });
    this.safely('sealing at connect', () => {
      this.seal();
      this.maybeReportDrops();
    });
    this.watchHosts(client);
    this.log.info({ sessionPresent, queued: this.queue?.stats().messages }, 'connected');
    // 'connected' means the downlink is listening too
    void subscribed.then(() => {
      if (this.connected) this.emit('connected');
    });
  }

  /**
   * Subscribes to the hosts' states at every connect (a re-subscribe resends the retained ones),
   * and starts the forwarder once a host is online. After a broker crash the retained "online" of
   * a host that has not resubscribed yet is stale, so on a reconnect it is trusted only after
   * graceMs, or at once when the host republishes it (it does after each of its reconnects).
   */
  private watchHosts(client: MqttClient): void {
    this.hosts.connected();
    clearTimeout(this.graceTimer);
    const { required, graceMs } = this.settings.host;
    if (required) {
      client
        .subscribeAsync(filters.hostStates, { qos: 1 })
        .catch((err) => this.log.error({ err: errorMessage(err) }, 'subscribing to the ingest host state failed'));
      this.graceTimer = setTimeout(() => this.updateGate(), graceMs);
    }
    this.updateGate();
  }

  /** True when an ingest host is online for the forwarder to send to. */
  get hostOnline(): boolean {
    return this.hosts.anyOnline;
  }

  private updateGate(): void {
    const send = this.connected && !this.stopping && (!this.settings.host.required || this.hosts.sendable);
    if (send === this.forwarding) return;
    this.forwarding = send;
    if (send) {
      this.log.info({ hosts: this.hosts.ids }, 'ingest host online: sending');
      this.forwarder?.onConnect();
      return;
    }
    this.forwarder?.onDisconnect();
    if (this.connected) this.log.warn({}, 'no ingest host online: keeping messages on disk');
  }

  /** when the current connection was attempted: the ts of its birth and of its last will */
  private connectionTs = 0;

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

  private publishBirth(): void {
    if (!this.client || !this.connected) return;
    const birth: GatewayState = {
      online: true,
      bootId: this.bootId,
      fw: this.settings.fw,
      ts: this.connectionTs,
      configVersion: this.downlink?.appliedVersion ?? this.configVersion,
      ...(this.settings.inventory ? { inventory: this.settings.inventory } : {}),
      ...(this.diskFailing ? { degraded: ['disk_full'] } : {}),
    };
    this.client.publish(topics.state(this.settings.gatewayId), JSON.stringify(birth), { qos: 1, retain: true });
  }

  /** Sizes the queue by what fits on the disk (statfs), never above queue.capacityReadings. */
  private checkDisk(): void {
    const queue = this.queue;
    if (!queue) return;
    const q = this.settings.queue;
    const { bavail, bsize } = this.statfs(this.settings.dataDir);
    this.freeBytes = bavail * bsize;
    const cap = fittingCapacity({
      configured: q.capacityReadings,
      freeBytes: this.freeBytes,
      queueBytes: queue.diskBytes(),
      reserveBytes: q.reserveBytes,
      bytesPerReading: q.bytesPerReading,
    });
    if (cap === queue.capacityReadings) return;
    this.log.warn(
      { freeBytes: this.freeBytes, capacityReadings: cap, configured: q.capacityReadings },
      'uplink queue capacity set by free disk space',
    );
    queue.setCapacity(cap);
    this.maybeReportDrops();
  }

  /**
   * A queue write failed: readings are being lost. Says so once — an alarm `disk_full` sent
   * straight (it cannot be queued) and `degraded: ['disk_full']` in the retained state — and
   * keeps trying; the loop goes on controlling valves meanwhile.
   */
  private onDiskFailed(err: unknown): void {
    if (this.diskFailing) return;
    this.diskFailing = true;
    this.log.error(
      { err: errorMessage(err), freeBytes: this.freeBytes },
      'cannot write the uplink queue: readings are lost until the disk has room',
    );
    const e = GatewayEvent.parse({
      bootId: this.bootId,
      seq: this.eventSeq++,
      ts: this.clock.now(),
      kind: 'alarm',
      code: 'disk_full',
      severity: 'critical',
      reason: `cannot write the uplink queue in ${this.settings.dataDir}: ${errorMessage(err)}`.slice(0, 500),
      data: { freeBytes: Math.max(0, this.freeBytes), capacityReadings: this.queue?.capacityReadings ?? 0 },
    });
    if (this.client && this.connected)
      this.client.publish(topics.event(this.settings.gatewayId), JSON.stringify(e), { qos: 1 });
    else if (this.direct.length < 16) this.direct.push(JSON.stringify(e));
    this.publishBirth();
  }

  private onDiskRecovered(): void {
    this.diskFailing = false;
    const lost = this.lostReadings;
    this.lostReadings = 0;
    this.log.info({ lostReadings: lost }, 'uplink queue writable again');
    const e = GatewayEvent.parse({
      bootId: this.bootId,
      seq: this.eventSeq++,
      ts: this.clock.now(),
      kind: 'alarm',
      code: 'disk_recovered',
      severity: 'info',
      reason: `uplink queue writable again; ${lost} readings were lost while it was not`,
      data: { lostReadings: lost },
    });
    this.safely('queueing disk_recovered', () => this.queue?.enqueue('event', JSON.stringify(e), 1, 0));
    this.publishBirth();
  }

  private onClosed(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    clearTimeout(this.graceTimer);
    if (!this.connected) return;
    this.connected = false;
    this.forwarding = false;
    this.forwarder?.onDisconnect();
    if (this.stopping) {
      this.emit('disconnected');
      return;
    }
    this.log.warn({}, 'disconnected; queueing on disk');
    // a broker drops the older of two connections with one client id: if ours keeps dying right
    // after connecting, another process is running with this gateway's id and credentials
    this.shortSessions = Date.now() - this.connectedAt < 2000 ? this.shortSessions + 1 : 0;
    if (this.shortSessions >= 3) {
      this.log.error(
        { clientId: this.clientId },
        'connection keeps being taken over: is a second process running with this gateway id and credentials?',
      );
    }
    this.emit('disconnected');
  }

  private backoff(): void {
    const { minMs, maxMs } = this.settings.reconnect;
    // mqtt.js waits reconnectPeriod before each try: minMs before the first (set on connect), then
    // doubling, jittered so a district of gateways does not reconnect in lockstep after a broker restart
    const wait = backoffDelay(++this.attempts, { minMs: Math.min(minMs, maxMs), maxMs, jitter: 'equal' });
    if (this.client) this.client.options.reconnectPeriod = wait;
  }

  private send(channel: string, payload: string, done: (err?: Error) => void): void {
    if (!this.client) {
      done(new Error('uplink stopped'));
      return;
    }
    this.client.publish(gatewayTopic(this.settings.gatewayId, channel as 'telemetry'), payload, { qos: 1 }, (err) =>
      done(err ?? undefined),
    );
  }

  private requireQueue(): DiskQueue {
    if (!this.queue) throw new UplinkError('UPLINK_NOT_STARTED', 'call start() on the uplink before publishing');
    return this.queue;
  }

  /**
   * Accepts readings; they are on disk when this returns (a kill -9 right after loses none).
   * They are sealed into telemetry messages by count, or by time while connected.
   */
  publishReadings(readings: readonly z.input<typeof Reading>[]): void {
    const queue = this.requireQueue();
    const parsed = ReadingList.safeParse(readings);
    if (!parsed.success) {
      throw new UplinkError('UPLINK_READING_INVALID', `reading rejected: ${issueSummary(parsed.error)}`);
    }
    if (parsed.data.length === 0) return;
    let pending: number;
    try {
      pending = this.write(() => queue.addPending(parsed.data, this.clock.now()));
    } catch (err) {
      this.lostReadings += parsed.data.length;
      throw err;
    }
    if (pending >= this.settings.batch.maxReadings) {
      // full messages now; while connected the remainder follows by time, offline it waits to fill.
      // The readings are already on disk: a failure here only delays sealing them
      this.safely('sealing', () => {
        this.seal(true);
        this.maybeReportDrops();
      });
      this.forwarder?.pump();
    }
    if (this.connected && !this.batchTimer && queue.pendingReadings > 0) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = undefined;
        this.safely('batch', () => this.flush());
      }, this.settings.batch.maxDelayMs);
    }
  }

  private write<T>(op: () => T): T {
    try {
      const r = op();
      if (this.diskFailing) this.onDiskRecovered();
      return r;
    } catch (err) {
      this.onDiskFailed(err);
      throw new UplinkError(
        'UPLINK_QUEUE_WRITE_FAILED',
        `cannot write to the uplink queue in ${this.settings.dataDir}: is the disk full or read-only?`,
        { cause: err },
      );
    }
  }

  /** Runs housekeeping from a timer or an MQTT event: a disk error is logged, never thrown there. */
  private safely(what: string, op: () => void): void {
    try {
      op();
    } catch (err) {
      this.log.error({ err }, `uplink ${what} failed; retried on the next reading or reconnect`);
    }
  }

  /** Seals pending readings into messages now and lets the forwarder send them. */
  flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.write(() => {
      this.seal();
      this.maybeReportDrops();
    });
    this.forwarder?.pump();
  }

  private seal(fullOnly = false): void {
    this.queue?.sealPending(
      this.settings.batch.maxReadings,
      (readings) =>
        JSON.stringify({ bootId: this.bootId, seq: this.seq++, ts: this.clock.now(), readings } satisfies Telemetry),
      fullOnly,
    );
  }

  /** Queues an event (QoS 1, survives outages like telemetry). */
  publishEvent(e: EventInput): void {
    const queue = this.requireQueue();
    const parsed = GatewayEvent.safeParse({ ts: this.clock.now(), ...e, bootId: this.bootId, seq: this.eventSeq });
    if (!parsed.success) {
      throw new UplinkError('UPLINK_EVENT_INVALID', `event rejected: ${issueSummary(parsed.error)}`);
    }
    this.write(() => queue.enqueue('event', JSON.stringify(parsed.data), 1, 0));
    this.eventSeq++;
    this.maybeReportDrops();
    this.forwarder?.pump();
  }

  private enqueueAck(channel: 'config/ack' | 'cmd/ack', payload: ConfigAck | CommandAck): void {
    if (!this.queue) return;
    const queue = this.queue;
    this.write(() => queue.enqueue(channel, JSON.stringify(payload), 1, 0));
    if (channel === 'config/ack' && 'status' in payload && payload.status === 'applied')
      this.configVersion = payload.version;
    this.forwarder?.pump();
  }

  private maybeReportDrops(): void {
    const now = this.clock.now();
    if (!this.queue || now - this.lastDropReport < this.settings.queue.dropReportIntervalMs) return;
    const capacity = this.settings.queue.capacityReadings;
    const reported = this.queue.reportDrops((u: DropReport, total: DropReport) =>
      JSON.stringify(
        GatewayEvent.parse({
          bootId: this.bootId,
          seq: this.eventSeq++,
          ts: now,
          kind: 'queue_dropped',
          code: 'queue_dropped',
          severity: 'warning',
          reason: `uplink queue full (${capacity} readings): dropped the ${u.readings} oldest readings and ${u.events} events (${u.messages} messages)`,
          data: {
            droppedReadings: u.readings,
            droppedEvents: u.events,
            droppedMessages: u.messages,
            droppedReadingsTotal: total.readings,
            droppedMessagesTotal: total.messages,
            capacityReadings: capacity,
          },
        }),
      ),
    );
    if (reported) {
      this.lastDropReport = now;
      this.log.warn({ ...reported }, 'uplink queue full: oldest dropped');
    }
  }

  stats(): UplinkStats {
    const q = this.queue?.stats();
    return {
      connected: this.connected,
      queued: q?.readings ?? 0,
      queuedMessages: q?.messages ?? 0,
      dropped: q?.droppedReadings ?? 0,
      droppedMessages: q?.droppedMessages ?? 0,
      sent: this.forwarder?.sentMessages ?? 0,
      sentReadings: this.forwarder?.sentReadings ?? 0,
      inflight: this.forwarder?.inflightCount ?? 0,
      draining: this.forwarder?.draining ?? false,
      diskBytes: this.queue?.diskBytes() ?? 0,
      bootId: this.bootId,
      seq: this.seq,
      configVersion: this.downlink?.appliedVersion ?? this.configVersion,
      hostOnline: this.hostOnline,
      capacityReadings: this.queue?.capacityReadings ?? this.settings.queue.capacityReadings,
      freeBytes: this.freeBytes,
      degraded: this.diskFailing ? ['disk_full'] : [],
      lostReadings: this.lostReadings,
    };
  }

  /** Seals what is pending, says "offline" on the state topic, waits briefly for PUBACKs, closes. */
  async stop(): Promise<void> {
    const client = this.client;
    const queue = this.queue;
    if (!client || !queue) return;
    this.stopping = true;
    clearTimeout(this.batchTimer);
    clearInterval(this.diskTimer);
    this.safely('sealing at stop', () => this.seal());
    // send nothing new; what is on the wire gets its PUBACK below or is resent next start
    clearTimeout(this.graceTimer);
    this.forwarding = false;
    this.forwarder?.onDisconnect();
    if (this.connected) {
      const offline: GatewayState = { online: false, bootId: this.bootId, ts: this.clock.now() };
      await withTimeout(
        client.publishAsync(topics.state(this.settings.gatewayId), JSON.stringify(offline), { qos: 1, retain: true }),
        STOP_TIMEOUT_MS,
      ).catch(() => undefined);
    }
    const ended = await withTimeout(client.endAsync(false), STOP_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    if (!ended) await client.endAsync(true);
    this.forwarder?.stop();
    this.connected = false;
    this.client = undefined;
    queue.close();
    this.queue = undefined;
    this.stopping = false;
    this.everConnected = false; // a new client after start() must subscribe again
    this.log.info({}, 'uplink stopped');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}
