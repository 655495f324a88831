import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { CommandAck, ConfigAck, Reading } from '../../protocol/index.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { DiskQueue } from './disk-queue.js';
import { Forwarder } from './forwarder.js';
import { realStatFs } from './disk-guard.js';
import { Downlink, type CommandHandler, type ConfigHandler } from './downlink.js';
import { MqttLink } from './mqtt-link.js';
import { Outbox, type EventInput } from './outbox.js';
import { parseUplinkOptions, type UplinkOptions, type UplinkSettings } from './options.js';

export type { EventInput } from './outbox.js';

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

/**
 * The gateway's MQTT link to the cloud: telemetry and events through a bounded on-disk queue
 * (QoS 1, deleted only after PUBACK), birth and last will on the retained state topic, and the
 * retained config and commands coming down. The connection is MqttLink's, what goes into the
 * queue the Outbox's; this class wires them to the forwarder and the downlink.
 */
export class Uplink extends EventEmitter<{ connected: []; disconnected: [] }> {
  readonly settings: UplinkSettings;
  readonly bootId = randomBytes(9).toString('base64url');
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly link: MqttLink;
  private readonly outbox: Outbox;
  private queue: DiskQueue | undefined;
  private forwarder: Forwarder | undefined;
  private downlink: Downlink | undefined;
  private configVersion: number;
  private configHandler: ConfigHandler | undefined;
  private commandHandler: CommandHandler | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private diskTimer: NodeJS.Timeout | undefined;

  constructor(opts: UplinkOptions) {
    super();
    this.settings = parseUplinkOptions(opts);
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.log ?? rootLog).child({ mod: 'uplink', gatewayId: this.settings.gatewayId });
    this.configVersion = this.settings.configVersion;
    this.outbox = new Outbox(this.settings, this.bootId, this.clock, this.log, opts.statfs ?? realStatFs, {
      sendEvent: (payload) => this.link.sendEvent(payload),
      stateChanged: () => this.link.publishBirth(),
    });
    this.link = new MqttLink(this.settings, this.bootId, this.clock, this.log, {
      up: (sessionPresent) => this.onUp(sessionPresent),
      down: () => this.onDown(),
      listening: () => this.emit('connected'),
      gate: (send) => (send ? this.forwarder?.onConnect() : this.forwarder?.onDisconnect()),
      downlink: (kind, payload) => void this.downlink?.handle(kind, payload),
      birth: () => ({
        fw: this.settings.fw,
        configVersion: this.downlink?.appliedVersion ?? this.configVersion,
        ...(this.settings.inventory ? { inventory: this.settings.inventory } : {}),
        ...(this.outbox.diskFailing ? { degraded: ['disk_full'] } : {}),
      }),
    });
  }

  /**
   * The gateway id, stable across restarts: the broker keys the persistent session (subscriptions,
   * commands queued while offline) by it, and binds it to the gateway's login (the embedded broker
   * refuses any other; Mosquitto with `use_username_as_clientid` uses the username anyway).
   */
  get clientId(): string {
    return this.settings.gatewayId;
  }

  /** True when an ingest host is online for the forwarder to send to. */
  get hostOnline(): boolean {
    return this.link.hostOnline;
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
    this.outbox.attach(queue);
    this.forwarder = new Forwarder(
      queue,
      (m, done) => this.link.send(m.channel, m.payload, done),
      { maxInflight: s.queue.maxInflight, drainPerSecond: s.queue.drainPerSecond },
      this.log,
    );
    this.downlink = new Downlink(queue, (ch, p) => this.enqueueAck(ch, p), this.clock, this.log);
    this.downlink.configHandler = this.configHandler;
    this.downlink.commandHandler = this.commandHandler;
    this.downlink.appliedVersion = this.configVersion;
    // readings accepted by a previous process but never sealed get this boot's bootId
    this.outbox.write(() => this.outbox.seal());
    this.outbox.safely('disk check', () => this.outbox.checkDisk());
    this.diskTimer = setInterval(
      () => this.outbox.safely('disk check', () => this.outbox.checkDisk()),
      s.queue.diskCheckMs,
    );
    this.diskTimer.unref();
    this.link.connect();
    this.log.info({ bootId: this.bootId, queued: queue.stats().messages }, 'uplink started');
  }

  /**
   * Accepts readings; they are on disk when this returns (a kill -9 right after loses none).
   * They are sealed into telemetry messages by count, or by time while connected.
   */
  publishReadings(readings: readonly z.input<typeof Reading>[]): void {
    const pending = this.outbox.addReadings(readings);
    if (pending === null) return;
    if (pending >= this.settings.batch.maxReadings) {
      // full messages now; while connected the remainder follows by time, offline it waits to fill.
      // The readings are already on disk: a failure here only delays sealing them
      this.outbox.safely('sealing', () => {
        this.outbox.seal(true);
        this.outbox.reportDrops();
      });
      this.forwarder?.pump();
    }
    if (this.link.connected && !this.batchTimer && (this.queue?.pendingReadings ?? 0) > 0) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = undefined;
        this.outbox.safely('batch', () => this.flush());
      }, this.settings.batch.maxDelayMs);
    }
  }

  /** Seals pending readings into messages now and lets the forwarder send them. */
  flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.outbox.write(() => {
      this.outbox.seal();
      this.outbox.reportDrops();
    });
    this.forwarder?.pump();
  }

  /** Queues an event (QoS 1, survives outages like telemetry). */
  publishEvent(e: EventInput): void {
    this.outbox.addEvent(e);
    this.forwarder?.pump();
  }

  stats(): UplinkStats {
    const q = this.queue?.stats();
    return {
      connected: this.link.connected,
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
      seq: this.outbox.seq,
      configVersion: this.downlink?.appliedVersion ?? this.configVersion,
      hostOnline: this.hostOnline,
      capacityReadings: this.queue?.capacityReadings ?? this.settings.queue.capacityReadings,
      freeBytes: this.outbox.freeBytes,
      degraded: this.outbox.diskFailing ? ['disk_full'] : [],
      lostReadings: this.outbox.lostReadings,
    };
  }

  /** Seals what is pending, says "offline" on the state topic, waits briefly for PUBACKs, closes. */
  async stop(): Promise<void> {
    const queue = this.queue;
    if (!this.link.started || !queue) return;
    clearTimeout(this.batchTimer);
    clearInterval(this.diskTimer);
    this.outbox.safely('sealing at stop', () => this.outbox.seal());
    await this.link.stop();
    this.forwarder?.stop();
    queue.close();
    this.outbox.detach();
    this.queue = undefined;
    this.log.info({}, 'uplink stopped');
  }

  private onUp(sessionPresent: boolean): void {
    for (const payload of this.outbox.direct.splice(0)) this.link.sendEvent(payload);
    this.outbox.safely('sealing at connect', () => {
      this.outbox.seal();
      this.outbox.reportDrops();
    });
    this.log.info({ sessionPresent, queued: this.queue?.stats().messages }, 'connected');
  }

  private onDown(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.emit('disconnected');
  }

  private enqueueAck(channel: 'config/ack' | 'cmd/ack', payload: ConfigAck | CommandAck): void {
    if (!this.queue) return;
    this.outbox.addAck(channel, payload);
    if (channel === 'config/ack' && 'status' in payload && payload.status === 'applied')
      this.configVersion = payload.version;
    this.forwarder?.pump();
  }
}
