import os from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type ISubscriptionMap, type MqttClient } from 'mqtt';
import {
  decodePayload,
  filters,
  sharedFilter,
  topics,
  type DecodedMessage,
  type HostState,
  type ParsedTopic,
  type Telemetry,
} from '../../protocol/index.js';
import { RuongSoError } from '../../lib/errors.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { LogThrottle } from '../../lib/log-throttle.js';
import { ingestRejectedTotal, mqttMessagesTotal, readingsBadQualityTotal } from '../metrics.js';
import type { StoredReading, TelemetryStore } from '../telemetry/store.js';
import { acceptReadings } from './accept.js';
import { AckGate } from './ack-gate.js';
import { detectSharedSubscriptions } from './broker-probe.js';
import { RejectLog } from './reject-log.js';
import { SeqTracker, type GatewaySeqStats } from './seq-tracker.js';
import type { CloudMqtt, IngestSink, PublishFn, UplinkConsumer } from './sink.js';
import { DiskSpool } from './spool.js';
import { TelemetryWriter } from './telemetry-writer.js';

export interface IngestOptions {
  store: TelemetryStore;
  sink?: IngestSink;
  /** broker URL (mqtt://host:port) and the cloud's credentials */
  mqttUrl: string;
  username?: string;
  password?: string;
  /** instead of mqtt.connect (tests, custom transports); gets our options, must not change clientId/clean */
  connect?: (url: string, opts: IClientOptions) => MqttClient;
  /** stable per cloud instance: the persistent session (clientId) hangs on it. Default: host name */
  instanceId?: string;
  /** MQTT_SHARE_GROUP; instances in one group split the messages */
  shareGroup?: string;
  /**
   * id in the retained host state ruongso/v1/host/{hostId}/state that gateways wait for before
   * sending (Sparkplug B's primary host STATE). Default: the client id, lower-cased
   */
  hostId?: string;
  /** 'auto' asks $SYS/broker/version: Mosquitto ≥ 1.6 yes, anything silent no */
  shared?: boolean | 'auto';
  /** where the spool lives: `${dataDir}/spool/telemetry` */
  dataDir: string;
  spoolMaxBytes?: number;
  /** a batch is written when it holds this many readings… */
  batchMaxReadings?: number;
  /** …or this long after its first message */
  flushMs?: number;
  subscribeDrones?: boolean;
  /** between reconnect attempts; short, so the ingest is back before the gateways after a broker restart */
  reconnectPeriodMs?: number;
  /** readings dated more than this ahead of the cloud clock are refused (default 5 min) */
  maxFutureMs?: number;
  /** longest wait between spool replay attempts while the store stays down (default 5 s) */
  replayMaxDelayMs?: number;
  /**
   * readings accepted but not yet stored beyond which the ingest stops reading from the broker
   * until a batch lands (default 2 batches): the backlog waits at the broker, not in this heap
   */
  maxQueuedReadings?: number;
  /** the longest such a pause lasts (default 5 s), well inside the MQTT keepalive */
  maxReadPauseMs?: number;
  clock?: Clock;
  log?: Logger;
}

export class IngestError extends RuongSoError<'INGEST_SUBSCRIBE' | 'INGEST_CONNECT'> {}

interface Pending {
  points: StoredReading[];
  after: Array<() => Promise<void> | void>;
  acks: Array<[number, number]>;
}

const emptyBatch = (): Pending => ({ points: [], after: [], acks: [] });

/**
 * The cloud's MQTT ingest: validates every uplink message with the protocol schemas, writes
 * readings in batches (store, or disk spool while the store is down) and acknowledges each
 * QoS 1 message only after that — so a crash anywhere before leaves it with the broker.
 */
export class Ingest implements CloudMqtt {
  readonly seq = new SeqTracker();
  private readonly consumers = new Set<UplinkConsumer>();
  private client: MqttClient | undefined;
  private gate: AckGate | undefined;
  private writer: TelemetryWriter | undefined;
  private batch: Pending = emptyBatch();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly rejects: RejectLog;
  private sharedInUse = false;
  private connects = 0;
  /** readings accepted and not yet stored or spooled */
  private queued = 0;
  /** mqtt.js's "read the next packet", held while `queued` is over the limit */
  private pausedRead: (() => void) | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;
  /** a pause ran out (the store is stuck, not slow): read on until a batch lands */
  private pauseExpired = false;
  private readonly throttle = new LogThrottle(30_000);

  constructor(private readonly opts: IngestOptions) {
    this.log = (opts.log ?? rootLog).child({ mod: 'ingest' });
    this.clock = opts.clock ?? systemClock;
    this.rejects = new RejectLog(this.log, this.clock);
  }

  /**
   * The broker binds a client id to its login: with a login, the id is the username (each cloud
   * instance has its own); without one (an open test broker) it is derived from the instance id.
   */
  get clientId(): string {
    if (this.opts.username) return this.opts.username;
    const id = (this.opts.instanceId ?? os.hostname()).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
    return `ruongso-ingest-${id}`;
  }

  async start(): Promise<void> {
    const spool = new DiskSpool(
      path.join(this.opts.dataDir, 'spool', 'telemetry'),
      this.opts.spoolMaxBytes ?? 512 * 1024 * 1024,
    );
    await spool.open();
    this.writer = new TelemetryWriter({
      store: this.opts.store,
      spool,
      log: this.opts.log,
      replayMaxDelayMs: this.opts.replayMaxDelayMs,
    });
    this.writer.start();
    const connect = this.opts.connect ?? ((url: string, o: IClientOptions) => mqtt.connect(url, o));
    const client = connect(this.opts.mqttUrl, {
      clientId: this.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: this.opts.reconnectPeriodMs ?? 250,
      connectTimeout: 10_000,
      username: this.opts.username,
      password: this.opts.password,
      resubscribe: true,
      // a crash (or a broker that loses us) says "offline" to every gateway: they keep their data
      will: this.hostWill(),
    });
    // a new session id (and will) for every connection: see HostState.session
    client.on('close', () => {
      client.options.will = this.hostWill();
    });
    this.client = client;
    this.gate = new AckGate(client, (next) => this.readNext(next));
    client.on('close', () => this.resumeReading());
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet.messageId));
    client.on('connect', () => {
      this.connects++;
    });
    // a broker that is down errors on every attempt (4 a second): one line per 30 s, with a count
    client.on('error', (err) =>
      this.throttle.hit(`error:${err.message}`, (repeated) =>
        this.log.warn({ err: err.message, repeated }, 'MQTT error'),
      ),
    );
    client.on('offline', () =>
      this.throttle.hit('offline', (repeated) =>
        this.log.warn({ url: this.opts.mqttUrl, repeated }, 'MQTT broker unreachable; retrying'),
      ),
    );
    client.on('connect', () => {
      this.throttle.clear('offline');
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        client.removeListener('connect', ok);
        client.end(true);
        reject(
          new IngestError('INGEST_CONNECT', `cannot connect the ingest to ${this.opts.mqttUrl}: ${err.message}`, {
            cause: err,
          }),
        );
      };
      const ok = () => {
        client.removeListener('error', fail);
        resolve();
      };
      client.once('connect', ok);
      client.once('error', fail);
    });
    this.sharedInUse =
      this.opts.shared === 'auto' || this.opts.shared === undefined
        ? await detectSharedSubscriptions(client)
        : this.opts.shared;
    await this.subscribe(client);
    await this.announce(client, true);
    // Mosquitto 2.0.11 restores a persistent session after a restart but not its $share
    // subscriptions (measured here), and mqtt.js does not resubscribe when the session is
    // present: subscribe again on every reconnect (idempotent for a restored subscription).
    // A message published between the broker's start and this SUBSCRIBE has no subscriber
    // and the broker drops it: reconnectPeriodMs is short so the ingest is back first.
    // Only once subscribed again does the host say online: until then gateways keep their data.
    client.on('connect', () => {
      this.subscribe(client)
        .then(() => this.announce(client, true))
        .catch((err) => this.log.error({ err }, 'resubscribe after reconnect failed'));
    });
    this.log.info(
      { clientId: this.clientId, shared: this.sharedInUse, group: this.opts.shareGroup ?? 'ingest' },
      'ingest subscribed',
    );
  }

  get hostId(): string {
    return (
      (this.opts.hostId ?? this.clientId)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '-')
        .replace(/^[-_]+/, '')
        .slice(0, 64) || 'ingest'
    );
  }

  private get hostTopic(): string {
    return topics.hostState(this.hostId);
  }

  private hostSession = { id: '', ts: 0 };

  private hostWill(): { topic: string; payload: Buffer; qos: 1; retain: true } {
    const ts = this.clock.now();
    this.hostSession = { id: `${ts.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, ts };
    return {
      topic: this.hostTopic,
      payload: Buffer.from(JSON.stringify({ online: false, ts, session: this.hostSession.id } satisfies HostState)),
      qos: 1,
      retain: true,
    };
  }

  private hostState(online: boolean): string {
    return JSON.stringify({
      online,
      ts: Math.max(this.clock.now(), this.hostSession.ts + 1),
      session: this.hostSession.id,
    } satisfies HostState);
  }

  /** The retained host state; an empty payload removes it (an instance retired for good). */
  private async announce(client: MqttClient, online: boolean | null): Promise<void> {
    await client.publishAsync(this.hostTopic, online === null ? '' : this.hostState(online), { qos: 1, retain: true });
  }

  private async subscribe(client: MqttClient): Promise<void> {
    const map: ISubscriptionMap = Object.fromEntries(this.filters().map((f) => [f, { qos: 1 as const }]));
    // `resubscribe: true` makes mqtt.js send filters it believes are still subscribed
    const granted = await client.subscribeAsync({ ...map, resubscribe: true } as ISubscriptionMap);
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length)
      throw new IngestError(
        'INGEST_SUBSCRIBE',
        `broker ${this.opts.mqttUrl} refused the subscription(s) ${refused.join(', ')}: check the cloud user's ACL`,
      );
  }

  /** Uplink filters; state stays unshared: brokers do not send retained messages to shared subscriptions. */
  filters(): string[] {
    const group = this.opts.shareGroup ?? 'ingest';
    const uplink = [...filters.gatewayUplink, ...(this.opts.subscribeDrones === false ? [] : [filters.allDrones])];
    return uplink.map((f) => (this.sharedInUse && !f.endsWith('/state') ? sharedFilter(group, f) : f));
  }

  get sharedSubscriptions(): boolean {
    return this.sharedInUse;
  }

  addConsumer(c: UplinkConsumer): () => void {
    this.consumers.add(c);
    return () => {
      this.consumers.delete(c);
    };
  }

  /** Publishes on this instance's one broker connection (configs, commands, mission status). */
  readonly publish: PublishFn = async (topic, payload, opts) => {
    if (!this.client) throw new IngestError('INGEST_CONNECT', 'the ingest is not started');
    await this.client.publishAsync(topic, payload, opts);
  };

  /** Seq gaps and duplicates this instance has seen for a gateway (for the API). */
  seqStats(gatewayId: string): GatewaySeqStats | undefined {
    return this.seq.stats(gatewayId);
  }

  /**
   * `connects`: CONNACKs this instance got (1 + reconnects; a session taken over shows here);
   * `queuedReadings`: accepted, not yet stored or spooled; `readPaused`: reading held back for them
   */
  status(): {
    connected: boolean;
    shared: boolean;
    spool: { batches: number; bytes: number; maxBytes: number } | null;
    heldAcks: number;
    connects: number;
    queuedReadings: number;
    readPaused: boolean;
  } {
    return {
      connected: !!this.client?.connected,
      shared: this.sharedInUse,
      spool: this.writer?.spool.size ?? null,
      heldAcks: this.gate?.pending ?? 0,
      connects: this.connects,
      queuedReadings: this.queued,
      readPaused: this.pausedRead !== undefined,
    };
  }

  /**
   * Flushes what is pending, sends its acks, disconnects. The session stays with the broker
   * (messages queue for this instance id until it returns) and the spool stays on disk.
   * `retire: true` is for an instance that will not come back: it unsubscribes first, so a
   * shared group stops handing this session its share (Mosquitto counts offline persistent
   * sessions in the round-robin), and ends the session.
   */
  async stop(opts: { retire?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (opts.retire && client.connected) await client.unsubscribeAsync(this.filters()).catch(() => undefined);
    // gateways stop sending first, so nothing reaches the broker for a session nobody reads
    if (client.connected) await this.announce(client, opts.retire ? null : false).catch(() => undefined);
    this.flush();
    await this.chain;
    await this.writer?.stop();
    await client.endAsync();
    this.client = undefined;
    if (opts.retire) {
      const connect = this.opts.connect ?? ((url: string, o: IClientOptions) => mqtt.connect(url, o));
      const c = connect(this.opts.mqttUrl, {
        clientId: this.clientId,
        clean: true,
        username: this.opts.username,
        password: this.opts.password,
        reconnectPeriod: 0,
      });
      await new Promise<void>((resolve) => {
        c.once('connect', () => resolve());
        c.once('error', () => resolve());
      });
      await c.endAsync();
    }
  }

  /**
   * Backpressure: while more readings wait for the store than `maxQueuedReadings`, mqtt.js reads
   * no further packet (the broker keeps the backlog, unacknowledged messages count against its
   * in-flight window) — for at most maxReadPauseMs, so a store that stays down (spool full) does
   * not starve the connection of its keepalive replies.
   */
  private readNext(next: () => void): void {
    if (this.pauseExpired || this.queued <= this.maxQueued) return next();
    this.pausedRead = next;
    this.pauseTimer ??= setTimeout(() => {
      this.pauseExpired = true;
      this.resumeReading();
    }, this.opts.maxReadPauseMs ?? 5000);
  }

  private get maxQueued(): number {
    return this.opts.maxQueuedReadings ?? 2 * (this.opts.batchMaxReadings ?? 5000);
  }

  private resumeReading(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    const next = this.pausedRead;
    this.pausedRead = undefined;
    next?.();
  }

  private onMessage(topic: string, payload: Buffer, messageId: number | undefined): void {
    // the broker probe's own subscription, QoS 0: not ours to count
    if (topic.startsWith('$SYS/')) return;
    const gen = messageId === undefined ? -1 : this.gate!.defer(messageId);
    const ack = () => {
      if (messageId !== undefined) this.gate!.release(messageId, gen);
    };
    // an empty retained payload is how a retained state is cleared (a gateway removed): not an error
    if (payload.length === 0 && topic.endsWith('/state')) {
      ack();
      return;
    }
    const decoded = decodePayload(topic, payload);
    if (!decoded.ok) {
      mqttMessagesTotal.inc({ channel: channelOf(decoded.topic) });
      ingestRejectedTotal.inc({ reason: decoded.reason });
      this.rejects.report(decoded.topic, decoded.reason, decoded.message);
      // it can never succeed: acknowledge it so the broker does not redeliver it forever
      ack();
      return;
    }
    const m = decoded.message;
    mqttMessagesTotal.inc({ channel: channelOf(decoded.topic) });
    if (m.kind === 'gw' && m.channel === 'telemetry') this.addTelemetry(m.gatewayId, m.payload);
    else this.batch.after.push(() => this.toSink(m));
    const receivedAt = this.clock.now();
    for (const c of this.consumers) this.batch.after.push(() => c(m, receivedAt));
    if (messageId !== undefined) this.batch.acks.push([messageId, gen]);
    if (this.batch.points.length >= (this.opts.batchMaxReadings ?? 5000)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 50);
  }

  private addTelemetry(gatewayId: string, msg: Telemetry): void {
    const latest = this.clock.now() + (this.opts.maxFutureMs ?? 5 * 60_000);
    const a = acceptReadings(gatewayId, msg.readings, latest, this.batch.points);
    this.queued += a.stored;
    // counted per message, not per reading: a labelled counter's lookup costs more than the check
    if (a.bad) readingsBadQualityTotal.inc(a.bad);
    if (a.firstRefused) {
      // the rest of the message is good: only these readings are refused, counted and logged
      if (a.range) ingestRejectedTotal.inc({ reason: 'range' }, a.range);
      if (a.future) ingestRejectedTotal.inc({ reason: 'future' }, a.future);
      const { reading: r, reason } = a.firstRefused;
      const more = a.range + a.future - 1;
      this.rejects.report(
        { kind: 'gw', gatewayId, channel: 'telemetry' },
        reason,
        `${r.sensor}/${r.metric} = ${r.value} at ${r.ts}: ${reason === 'future' ? 'dated ahead of the cloud clock' : "outside the metric's physical range"}${more ? ` (and ${more} more readings of this message refused)` : ''}`,
      );
    }
    const info = { bootId: msg.bootId, seq: msg.seq, count: msg.readings.length, ts: msg.ts ?? this.clock.now() };
    this.batch.after.push(() => {
      this.seq.observe(gatewayId, msg.bootId, msg.seq, this.clock.now());
      return this.opts.sink?.onTelemetry(gatewayId, info);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const b = this.batch;
    if (!b.acks.length && !b.after.length && !b.points.length) return;
    this.batch = emptyBatch();
    // one batch at a time: acks leave in the order the messages came
    this.chain = this.chain.then(() => this.commit(b));
  }

  private async commit(b: Pending): Promise<void> {
    if (b.points.length) {
      try {
        await this.writer!.persist(b.points);
        this.pauseExpired = false;
      } finally {
        this.queued -= b.points.length;
        if (this.queued <= this.maxQueued) this.resumeReading();
      }
    }
    for (const fn of b.after) {
      try {
        await fn();
      } catch (err) {
        ingestRejectedTotal.inc({ reason: 'sink' });
        this.log.error({ err }, 'ingest sink failed on a message; acknowledged anyway');
      }
    }
    for (const [id, gen] of b.acks) this.gate!.release(id, gen);
  }

  private async toSink(m: DecodedMessage): Promise<void> {
    const sink = this.opts.sink;
    if (!sink) return;
    if (m.kind === 'drone') return sink.onDroneTelemetry?.(m.droneId, m.payload);
    if (m.kind !== 'gw') return undefined;
    switch (m.channel) {
      case 'state':
        return sink.onState(m.gatewayId, m.payload, this.clock.now());
      case 'event':
        return sink.onEvent(m.gatewayId, m.payload);
      case 'config/ack':
        return sink.onConfigAck(m.gatewayId, m.payload);
      case 'cmd/ack':
        return sink.onCmdAck(m.gatewayId, m.payload);
      default:
        return undefined;
    }
  }
}

function channelOf(t: ParsedTopic | null): string {
  if (!t) return 'unknown';
  return t.kind === 'gw' ? t.channel : t.kind;
}
