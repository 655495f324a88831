import { EventEmitter } from 'node:events';
import { Backoff, backoffDelay } from '../../lib/backoff.js';
import { log } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import { parseBusUrl, type BusAddress } from './bus-url.js';
import { classifyError, ModbusError } from './errors.js';
import { defaultLinkFactory, type LinkFactory, type ModbusLink, type ModbusRequest } from './link.js';

const logger = log.child({ mod: 'modbus-bus' });

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

// lib/backoff without jitter: doubling from baseMs up to maxMs (a base above the cap is the cap)
const libBackoff = ({ baseMs, maxMs }: BackoffOptions) => ({ minMs: Math.min(baseMs, maxMs), maxMs });

export interface BusOptions {
  /** tcp://host:port, rtu:///dev/ttyUSB0?baud=9600…, or a bare serial path */
  url: string;
  /** name in logs and errors; defaults to the canonical URL */
  name?: string;
  /** per-request reply timeout (modbus-serial has none unless set) */
  timeoutMs?: number;
  /** extra attempts after a timeout or garbled reply; exceptions are never retried */
  retries?: number;
  /** delay before the first retry, doubled on each further one; the bus serves others meanwhile */
  retryDelayMs?: number;
  /** how long a unit that failed all attempts is skipped, doubling per failure */
  slaveBackoff?: BackoffOptions;
  /** TCP reconnect / serial reopen backoff */
  reconnect?: BackoffOptions;
  /** silence on the wire after a failed RTU request, so a late reply cannot pair with the next one */
  quietAfterErrorMs?: number;
  clock?: Clock;
  linkFactory?: LinkFactory;
}

export const BUS_DEFAULTS = {
  timeoutMs: 1000,
  retries: 1,
  retryDelayMs: 100,
  slaveBackoff: { baseMs: 2000, maxMs: 60_000 },
  reconnect: { baseMs: 500, maxMs: 30_000 },
  quietAfterErrorMs: 20,
} as const;

interface Job {
  req: ModbusRequest;
  /** actuator commands go ahead of queued polls */
  urgent: boolean;
  attempt: number;
  resolve: (data: number[]) => void;
  reject: (err: ModbusError) => void;
}

interface SlaveState {
  failures: number;
  until: number;
  lastError?: ModbusError;
}

export interface BusStats {
  requests: number;
  ok: number;
  failed: number;
  retried: number;
  maxInFlight: number;
  queued: number;
  reconnects: number;
}

/**
 * One wire, one request on it at a time. A per-bus FIFO queue with a reply timeout, retries
 * that give the wire back to others while they wait, a per-unit backoff so one dead sensor
 * cannot stall its neighbours, and reconnect / reopen with backoff.
 * Events: 'connected', 'disconnected' (err).
 */
export class ModbusBus extends EventEmitter {
  readonly address: BusAddress;
  readonly name: string;
  private readonly opts: Required<Omit<BusOptions, 'name' | 'url' | 'clock' | 'linkFactory'>>;
  private readonly clock: Clock;
  private readonly linkFactory: LinkFactory;
  private link: ModbusLink | undefined;
  private readonly queue: Job[] = [];
  private readonly slaves = new Map<number, SlaveState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private busy = false;
  private guardTimer: NodeJS.Timeout | undefined;
  private onGuard: (() => void) | undefined;
  private inFlight = 0;
  private running = false;
  private connecting = false;
  private readonly reconnectBackoff: Backoff;
  private readonly counters = { requests: 0, ok: 0, failed: 0, retried: 0, maxInFlight: 0, reconnects: 0 };

  constructor(options: BusOptions) {
    super();
    this.address = parseBusUrl(options.url);
    this.name = options.name ?? this.address.url;
    this.clock = options.clock ?? systemClock;
    this.linkFactory = options.linkFactory ?? defaultLinkFactory;
    this.opts = {
      timeoutMs: options.timeoutMs ?? BUS_DEFAULTS.timeoutMs,
      retries: options.retries ?? BUS_DEFAULTS.retries,
      retryDelayMs: options.retryDelayMs ?? BUS_DEFAULTS.retryDelayMs,
      slaveBackoff: options.slaveBackoff ?? BUS_DEFAULTS.slaveBackoff,
      reconnect: options.reconnect ?? BUS_DEFAULTS.reconnect,
      quietAfterErrorMs: options.quietAfterErrorMs ?? BUS_DEFAULTS.quietAfterErrorMs,
    };
    this.reconnectBackoff = new Backoff(libBackoff(this.opts.reconnect));
    // 'error' is not used: a bus that is down is normal operation, reported as 'disconnected'
  }

  get connected(): boolean {
    return this.link?.isOpen === true;
  }

  /** Opens the link. Resolves after the first attempt either way; a failed one keeps retrying. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.guardTimer);
    this.guardTimer = undefined;
    this.failQueued(
      new ModbusError('MODBUS_BUS_STOPPED', `bus ${this.name} was stopped`, { context: { bus: this.name } }),
    );
    const link = this.link;
    this.link = undefined;
    await link?.close();
  }

  /**
   * Read `length` registers (fc 3/4) or bits as 0/1 (fc 1/2) from one unit. `urgent` puts the
   * request ahead of queued ones (a relay read-back after a valve command).
   */
  read(
    unitId: number,
    fc: 1 | 2 | 3 | 4,
    address: number,
    length: number,
    opts: { urgent?: boolean } = {},
  ): Promise<number[]> {
    return this.request({ fc, unitId, address, length }, opts);
  }

  /** Coil writes are valve and pump commands: they go ahead of queued polls. */
  async writeCoil(unitId: number, address: number, on: boolean): Promise<void> {
    await this.request({ fc: 5, unitId, address, value: on }, { urgent: true });
  }

  async writeCoils(unitId: number, address: number, values: boolean[]): Promise<void> {
    await this.request({ fc: 15, unitId, address, values }, { urgent: true });
  }

  stats(): BusStats {
    return { ...this.counters, queued: this.queue.length };
  }

  /** Until when (epoch ms) a unit is skipped after failing; 0 when it is not backed off. */
  backedOffUntil(unitId: number): number {
    const s = this.slaves.get(unitId);
    return s && s.until > this.clock.now() ? s.until : 0;
  }

  request(req: ModbusRequest, opts: { urgent?: boolean } = {}): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      const refusal = this.refuse(req);
      if (refusal) return reject(refusal);
      this.enqueue({ req, urgent: opts.urgent === true, attempt: 0, resolve, reject });
      this.pump();
    });
  }

  private enqueue(job: Job): void {
    if (!job.urgent) {
      this.queue.push(job);
      return;
    }
    // behind earlier urgent jobs, ahead of every poll
    const i = this.queue.findIndex((j) => !j.urgent);
    if (i === -1) this.queue.push(job);
    else this.queue.splice(i, 0, job);
  }

  private refuse(req: ModbusRequest): ModbusError | undefined {
    const ctx = { bus: this.name, unitId: req.unitId, fc: req.fc, address: req.address };
    if (!this.running)
      return new ModbusError('MODBUS_BUS_STOPPED', `bus ${this.name} is not started`, { context: ctx });
    if (!this.connected)
      return new ModbusError('MODBUS_DISCONNECTED', `bus ${this.name} is not connected; reconnecting`, {
        context: ctx,
      });
    const slave = this.slaves.get(req.unitId);
    if (slave && slave.until > this.clock.now()) {
      const fault = slave.lastError?.fault ?? 'timeout';
      return new ModbusError(
        'MODBUS_SLAVE_BACKOFF',
        `unit ${req.unitId} on bus ${this.name} failed ${slave.failures} time(s) in a row (${fault}); skipped until ${new Date(slave.until).toISOString()}`,
        { context: { ...ctx, fault }, cause: slave.lastError },
      );
    }
    return undefined;
  }

  private pump(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) return;
    const refusal = this.refuse(job.req);
    if (refusal) {
      job.reject(refusal);
      this.pump();
      return;
    }
    this.busy = true;
    void this.run(job).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    const { req } = job;
    const link = this.link!;
    this.counters.requests++;
    this.inFlight++;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
    let data: number[] | undefined;
    let error: ModbusError | undefined;
    try {
      data = await this.guarded(link.exec(req, this.opts.timeoutMs));
    } catch (err) {
      error = classifyError(err, { bus: this.name, unitId: req.unitId, fc: req.fc, address: req.address });
    } finally {
      this.inFlight--;
    }
    if (data) {
      this.counters.ok++;
      this.slaves.delete(req.unitId);
      job.resolve(data);
      return;
    }
    await this.settleFailure(job, error!);
  }

  private async settleFailure(job: Job, error: ModbusError): Promise<void> {
    const retryable = error.code === 'MODBUS_TIMEOUT' || error.code === 'MODBUS_CRC' || error.code === 'MODBUS_UNIT_ID';
    if (retryable && this.address.kind === 'rtu' && this.opts.quietAfterErrorMs > 0) {
      await this.sleep(this.opts.quietAfterErrorMs);
    }
    if (retryable && job.attempt < this.opts.retries && this.running) {
      job.attempt++;
      this.counters.retried++;
      // doubling per retry, not capped: the retries are few (`retries`)
      this.later(backoffDelay(job.attempt - 1, { minMs: this.opts.retryDelayMs, maxMs: Infinity }), () => {
        const refusal = this.refuse(job.req);
        if (refusal) return job.reject(refusal);
        this.enqueue(job);
        this.pump();
      });
      return;
    }
    this.counters.failed++;
    if (retryable) this.backOff(job.req.unitId, error);
    logger.debug({ bus: this.name, unitId: job.req.unitId, code: error.code }, 'modbus request failed');
    job.reject(error);
  }

  private backOff(unitId: number, error: ModbusError): void {
    const s = this.slaves.get(unitId) ?? { failures: 0, until: 0 };
    s.failures++;
    s.lastError = error;
    s.until = this.clock.now() + backoffDelay(s.failures - 1, libBackoff(this.opts.slaveBackoff));
    this.slaves.set(unitId, s);
    if (s.failures === 1) logger.warn({ bus: this.name, unitId, code: error.code }, 'unit not answering; backing off');
  }

  /**
   * modbus-serial can leave a promise pending when the port dies mid-request. One refreshable
   * timer per bus watches the request on the wire (a timer per request costs throughput).
   */
  private guarded<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        this.onGuard = undefined;
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the driver's reason on as it came: modbus-serial rejects with non-Error objects that classifyError reads
        reject(e);
      };
      this.onGuard = () => fail(Object.assign(new Error('Timed out'), { errno: 'ETIMEDOUT' }));
      if (this.guardTimer) this.guardTimer.refresh();
      else {
        this.guardTimer = setTimeout(() => this.onGuard?.(), this.opts.timeoutMs + 500);
        this.guardTimer.unref();
      }
      p.then((v) => {
        if (settled) return;
        settled = true;
        this.onGuard = undefined;
        resolve(v);
      }, fail);
    });
  }

  private async connect(): Promise<void> {
    if (!this.running || this.connecting) return;
    this.connecting = true;
    const link = this.linkFactory(this.address);
    try {
      await link.open();
      if (!this.running) {
        await link.close();
        return;
      }
      this.link = link;
      this.reconnectBackoff.reset();
      link.onDrop((err) => this.onDrop(link, err));
      logger.info({ bus: this.name }, 'bus connected');
      this.emit('connected');
      this.pump();
    } catch (err) {
      // serialport on Linux may refuse a reopen right after close ("Cannot lock port"): back off
      this.scheduleReconnect(err);
    } finally {
      this.connecting = false;
    }
  }

  private onDrop(link: ModbusLink, err: unknown): void {
    if (this.link !== link) return;
    this.link = undefined;
    void link.close();
    this.failQueued(
      new ModbusError('MODBUS_DISCONNECTED', `bus ${this.name} dropped; reconnecting`, {
        cause: err,
        context: { bus: this.name },
      }),
    );
    this.emit('disconnected', err);
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(err: unknown): void {
    if (!this.running) return;
    const delay = this.reconnectBackoff.next();
    this.counters.reconnects++;
    logger.warn(
      { bus: this.name, delayMs: delay, err: err instanceof Error ? err.message : String(err) },
      'bus not connected; retrying',
    );
    this.later(delay, () => void this.connect());
  }

  private failQueued(err: ModbusError): void {
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
