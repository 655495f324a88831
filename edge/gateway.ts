import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { GatewayConfig, type Command, type Reading } from '../protocol/index.js';
import { log } from '../lib/log.js';
import { errorMessage } from '../lib/errors.js';
import { systemClock, type Clock } from '../lib/time.js';
import {
  executeCommand,
  initialState,
  pumpRules,
  restoreState,
  step,
  type ControlEvent,
  type LoopOptions,
  type LoopState,
  type StepResult,
} from './control/index.js';
import { hardwareOf, zonesAgainstHardware, type GatewayFile } from './config.js';
import { GatewayError } from './errors.js';
import { modbusHardware, type Hardware } from './hardware.js';
import { readJson, writeJsonAtomic } from './persist.js';
import { createUplink, type UplinkPort } from './uplink-port.js';
import { describeSerialMismatch, serialMismatchesOf } from './check.js';
import { GatewayWeather } from './weather/gateway-weather.js';
import { issueLines } from '../lib/zod-issues.js';

const logger = log.child({ mod: 'gateway' });

export type ConfigResult = { status: 'applied' } | { status: 'rejected'; reasons: string[] };
export type CommandResult = { status: 'done' } | { status: 'rejected'; reason: string };

export interface GatewayOptions {
  clock?: Clock;
  /** default: Modbus buses, poller and relay board from the file */
  hardware?: Hardware;
  /** default: the MQTT uplink from the file; null runs the gateway without a cloud */
  uplink?: UplinkPort | null;
  fw?: string;
}

/** Nothing configured yet: the loop runs with no zones (and every valve closed). */
const NO_ZONES = { version: 0, timezone: 'Asia/Ho_Chi_Minh', zones: [], pumps: [] } as unknown as GatewayConfig;
const PERSIST_EVERY_MS = 60_000;

/**
 * The gateway process: polls sensors, steps the control loop on every reading batch and on a
 * timer, drives the relays, and talks to the cloud through the uplink. One step at a time (a
 * promise chain), so commands, configs and readings never interleave. Fails closed: start,
 * stop and any unexpected error command every actuator off.
 */
export class Gateway extends EventEmitter<{ event: [ControlEvent]; step: [StepResult] }> {
  readonly file: GatewayFile;
  private readonly clock: Clock;
  private readonly hw: Hardware;
  private readonly uplink: UplinkPort | null;
  private readonly loopOpts: LoopOptions;
  /** rain and forecast rules (edge/weather); null without a `weather` block in the file */
  private readonly weather: GatewayWeather | null;
  private readonly configFile: string;
  private readonly stateFile: string;
  private cfg: GatewayConfig = NO_ZONES;
  private loop: LoopState = initialState();
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastPersist = 0;
  private running = false;
  /** actuators that failed to switch off: retried before every step */
  private readonly retryClose = new Set<string>();
  /** actuators whose failure was already reported (one alarm per failure streak) */
  private readonly failing = new Set<string>();

  constructor(file: GatewayFile, opts: GatewayOptions = {}) {
    super();
    this.file = file;
    this.clock = opts.clock ?? systemClock;
    this.hw = opts.hardware ?? modbusHardware(file);
    const { intervalMs: _i, pumpStopDelayMs: _p, ...loopOpts } = file.loop;
    this.loopOpts = loopOpts;
    this.weather = file.weather ? new GatewayWeather(file.weather, file.dataDir, this.clock) : null;
    this.configFile = path.join(file.dataDir, 'config.json');
    this.stateFile = path.join(file.dataDir, 'loop-state.json');
    this.uplink =
      opts.uplink === undefined ? createUplink(file, opts.fw ?? 'ruongso-edge/0.1.0', this.clock) : opts.uplink;
  }

  get config(): GatewayConfig {
    return this.cfg;
  }
  get state(): LoopState {
    return this.loop;
  }
  /** whether the uplink has the broker now; null when the gateway runs without a cloud */
  get uplinkConnected(): boolean | null {
    if (!this.uplink) return null;
    const u = this.uplink as UplinkPort & { stats?: () => { connected: boolean } };
    return u.stats?.().connected ?? false;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    mkdirSync(this.file.dataDir, { recursive: true });
    await this.hw.start();
    // fail closed before anything else: whatever the relays did before this boot, now they are off
    await this.closeEverything('start-up');
    this.loadConfig();
    this.loadState();
    this.reportSerialMismatches();
    if (this.uplink) {
      this.uplink.onConfig((c) => this.applyConfig(c));
      this.uplink.onCommand(async (c) => {
        const r = await this.command(c);
        return r.outcome === 'done' ? { status: 'done' } : { status: 'rejected', reason: r.reason ?? r.outcome };
      });
      // one version on both sides: the birth carries the version in force, the file's initialConfig included
      this.uplink.setConfigVersion(this.cfg.version);
      this.uplink.start();
    }
    await this.enqueue(() => this.runStep([]));
    this.unsubscribe = this.hw.sensors.onReadings((readings) => {
      const arrived = performance.now();
      void this.enqueue(() => this.onReadings(readings, arrived));
    });
    this.watchUnusedSensors();
    this.hw.sensors.start();
    this.weather?.start();
    this.timer = setInterval(() => {
      void this.enqueue(() => this.runStep([]));
    }, this.file.loop.intervalMs);
    logger.info(
      { gatewayId: this.file.gatewayId, configVersion: this.cfg.version, zones: this.cfg.zones.length },
      'gateway started',
    );
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.hw.sensors.stop();
    await this.weather?.stop();
    await this.chain.catch(() => undefined);
    await this.closeEverything('stopping');
    this.loop = restoreState(this.loop, this.clock.now());
    this.persistState(true);
    await this.uplink?.stop();
    await this.hw.stop();
    logger.info({ gatewayId: this.file.gatewayId }, 'gateway stopped');
  }

  /** A person's command, from the cloud (through the uplink) or local. */
  /** `code`: why it was refused (`expired`, `unknown_target`, `not_opened` or the blocking code, e.g. `salinity_interlock`) */
  command(cmd: Command): Promise<{ outcome: 'done' | 'rejected' | 'expired'; reason?: string; code?: string }> {
    return this.enqueue(async () => {
      const r = executeCommand(this.loop, cmd, this.cfg, this.clock.now(), {
        ...this.loopOpts,
        weather: this.weather?.last,
      });
      await this.commit(r);
      if (r.outcome !== 'done') {
        this.publishEvent({
          ts: this.clock.now(),
          kind: 'cmd_rejected',
          code: r.outcome === 'expired' ? 'cmd_expired' : 'cmd_refused',
          severity: 'info',
          reason: `command ${cmd.id} ${r.outcome}: ${r.reason ?? ''}`,
          data: { cmdId: cmd.id, cmdKind: cmd.kind, ...(r.code ? { why: r.code } : {}) },
        });
      }
      return {
        outcome: r.outcome,
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.outcome !== 'done' && r.code ? { code: r.code } : {}),
      };
    });
  }

  /** Validates against this gateway's hardware, persists, then swaps atomically; or keeps the old one. */
  applyConfig(cfg: GatewayConfig): Promise<ConfigResult> {
    return this.enqueue(async () => {
      const parsed = GatewayConfig.safeParse(cfg);
      const reasons = parsed.success
        ? zonesAgainstHardware(parsed.data, hardwareOf(this.file))
        : issueLines(parsed.error, Infinity);
      const now = this.clock.now();
      if (!parsed.success || reasons.length) {
        this.publishEvent({
          ts: now,
          kind: 'config_rejected',
          code: parsed.success ? 'config_hardware_mismatch' : 'config_invalid',
          severity: 'warning',
          reason: `config v${cfg.version} rejected, v${this.cfg.version} stays: ${reasons.join('; ')}`.slice(0, 500),
          data: { version: cfg.version, runningVersion: this.cfg.version, problems: reasons.length },
        });
        return { status: 'rejected', reasons };
      }
      writeJsonAtomic(this.configFile, parsed.data);
      const old = this.cfg.version;
      this.cfg = parsed.data;
      this.publishEvent({
        ts: now,
        kind: 'config_applied',
        code: 'config_applied',
        severity: 'info',
        reason: `config v${parsed.data.version} applied (was v${old}): ${parsed.data.zones.length} zones`,
        data: { version: parsed.data.version, previousVersion: old, zones: parsed.data.zones.length },
      });
      await this.runStep([]);
      return { status: 'applied' };
    });
  }

  /** One step now, through the queue (tests, and the CLI's status). */
  tick(readings: Reading[] = []): Promise<void> {
    return this.enqueue(() => this.runStep(readings));
  }

  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async onReadings(readings: Reading[], arrived: number): Promise<void> {
    try {
      this.uplink?.publishReadings(readings);
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'readings not queued for the uplink');
    }
    await this.runStep(readings, arrived);
  }

  /** Steps so far, and how long a reading batch took from arrival to its first relay command. */
  stats(): { steps: number; decisions: number; lastDecisionMs: number; maxDecisionMs: number } {
    return { ...this.counters };
  }

  private readonly counters = { steps: 0, decisions: 0, lastDecisionMs: 0, maxDecisionMs: 0 };

  private async runStep(readings: Reading[], arrived?: number): Promise<void> {
    if (!this.running) return;
    try {
      await this.retryCloses();
      const now = this.clock.now();
      const open = new Set(
        Object.entries(this.loop.valves)
          .filter(([, v]) => v.open)
          .map(([id]) => id),
      );
      const weather = this.weather?.advance(readings, open, this.cfg, now);
      const r = step(this.loop, readings, this.cfg, now, { ...this.loopOpts, weather });
      this.counters.steps++;
      if (arrived !== undefined && r.commands.length > 0) {
        const ms = performance.now() - arrived;
        this.counters.decisions++;
        this.counters.lastDecisionMs = ms;
        this.counters.maxDecisionMs = Math.max(this.counters.maxDecisionMs, ms);
      }
      await this.commit(r);
    } catch (err) {
      // a bug must never leave water running: everything off, state reset to closed
      logger.error({ err }, 'control step failed; closing every actuator');
      this.publishEvent({
        ts: this.clock.now(),
        kind: 'alarm',
        code: 'loop_error',
        severity: 'critical',
        reason: `control loop error, every valve closed: ${errorMessage(err)}`.slice(0, 500),
      });
      await this.closeEverything('loop error');
      this.loop = restoreState(this.loop, this.clock.now());
    }
  }

  /** Applies a step's commands in order, then its events; what could not be switched is undone in the state. */
  private async commit(r: StepResult): Promise<void> {
    this.loop = r.state;
    const switched: Reading[] = [];
    const notOn = new Set<string>();
    for (const c of r.commands) {
      if (c.on && this.pumpWithoutValve(c.actuator)) {
        // its valve did not open after all: never run a pump against shut valves
        this.loop.pumps[c.actuator]!.on = false;
        notOn.add(c.actuator);
        continue;
      }
      const ok = await this.switch(c.actuator, c.on, c.reason);
      if (ok) switched.push(this.actuatorReading(c.actuator, c.on));
      else if (c.on) notOn.add(c.actuator);
    }
    for (const e of r.events) {
      if ((e.kind === 'valve_opened' || e.kind === 'pump_on') && e.valve && notOn.has(e.valve)) continue;
      this.publishEvent(e);
    }
    if (switched.length) {
      try {
        this.uplink?.publishReadings(switched);
      } catch (err) {
        logger.warn({ err: errorMessage(err) }, 'actuator states not queued');
      }
    }
    this.emit('step', r);
    this.persistState(r.commands.length > 0 || r.events.length > 0);
  }

  private async switch(id: string, on: boolean, reason: string): Promise<boolean> {
    try {
      await this.hw.actuators.set(id, on);
      this.failing.delete(id);
      if (!on) this.retryClose.delete(id);
      logger.info({ actuator: id, on, reason }, 'actuator switched');
      return true;
    } catch (err) {
      // the loop must not believe in a relay it could not switch: an open becomes closed
      // (and is retried by the next step), a close is retried before every step
      if (on) {
        const v = this.loop.valves[id];
        if (v) v.open = false;
        const p = this.loop.pumps[id];
        if (p) p.on = false;
        await this.hw.actuators.set(id, false).catch(() => this.retryClose.add(id));
      } else {
        this.retryClose.add(id);
      }
      if (!this.failing.has(id)) {
        this.failing.add(id);
        this.publishEvent({
          ts: this.clock.now(),
          kind: 'alarm',
          code: on ? 'relay_open_failed' : 'relay_close_failed',
          valve: id,
          severity: 'critical',
          reason: `could not switch ${id} ${on ? 'on' : 'off'}: ${errorMessage(err)}`.slice(0, 500),
          data: { actuator: id, on },
        });
      }
      return false;
    }
  }

  private pumpWithoutValve(id: string): boolean {
    if (!this.loop.pumps[id]) return false;
    const rule = pumpRules(this.cfg).find((p) => p.pump === id);
    return !rule || !rule.valves.some((v) => this.loop.valves[v]?.open);
  }

  /**
   * Faults of sensors no zone uses still matter to a technician; those a zone uses are reported
   * by the loop itself (with what it means for the valve), so they are not doubled here.
   */
  private watchUnusedSensors(): void {
    const used = () => new Set(this.cfg.zones.flatMap((z) => Object.values(z.sensors).map((r) => r?.sensor)));
    const offs = [
      this.hw.sensors.onFault?.((f) => {
        if (!used().has(f.sensor)) {
          this.publishEvent({
            ts: this.clock.now(),
            kind: 'sensor_fault',
            code: 'device_fault',
            sensor: f.sensor,
            severity: 'warning',
            reason: `sensor fault: ${f.reason}`.slice(0, 500),
            data: { sensor: f.sensor, fault: f.fault },
          });
        }
      }),
      this.hw.sensors.onRecovered?.((r) => {
        if (!used().has(r.sensor)) {
          this.publishEvent({
            ts: this.clock.now(),
            kind: 'sensor_recovered',
            code: 'device_recovered',
            sensor: r.sensor,
            severity: 'info',
            reason: `sensor recovered: ${r.sensor} answers again after ${Math.round(r.downMs / 1000)} s`,
            data: { sensor: r.sensor, downSeconds: Math.round(r.downMs / 1000) },
          });
        }
      }),
    ];
    const prev = this.unsubscribe;
    this.unsubscribe = () => {
      prev?.();
      for (const off of offs) off?.();
    };
  }

  private async retryCloses(): Promise<void> {
    for (const id of [...this.retryClose]) await this.switch(id, false, 'retrying a failed close');
  }

  private async closeEverything(why: string): Promise<void> {
    const { failed, sparesFailed = [] } = await this.hw.actuators.closeAll();
    for (const coil of sparesFailed) {
      this.publishEvent({
        ts: this.clock.now(),
        kind: 'alarm',
        code: 'spare_coil_close_failed',
        severity: 'warning',
        reason: `${why}: relay ${coil} (no actuator) could not be switched off`,
        data: { coil, when: why },
      });
    }
    for (const f of failed) {
      this.retryClose.add(f.id);
      this.failing.add(f.id);
      this.publishEvent({
        ts: this.clock.now(),
        kind: 'alarm',
        code: 'relay_close_failed',
        valve: f.id,
        severity: 'critical',
        reason: `${why}: could not close ${f.id}: ${errorMessage(f.error)}`.slice(0, 500),
        data: { actuator: f.id, on: false, when: why },
      });
    }
  }

  /** A device whose profile's factory serial settings differ from its bus is likely to stay silent: say so at start. */
  private reportSerialMismatches(): void {
    for (const m of serialMismatchesOf(this.file)) {
      const reason = describeSerialMismatch(m);
      logger.warn(
        { device: m.device, bus: m.bus, differences: m.differences },
        'serial settings differ from the profile',
      );
      const data: Record<string, string | number> = { device: m.device, bus: m.bus };
      for (const d of m.differences) {
        data[`${d.key}Device`] = d.device;
        data[`${d.key}Bus`] = d.bus;
      }
      this.publishEvent({
        ts: this.clock.now(),
        kind: 'alarm',
        code: 'serial_mismatch',
        sensor: m.device,
        severity: 'warning',
        reason: reason.slice(0, 500),
        data,
      });
    }
  }

  private actuatorReading(id: string, on: boolean): Reading {
    const pump = this.file.actuators.find((a) => a.id === id)?.kind === 'pump';
    return {
      sensor: id,
      metric: pump ? 'pump_on' : 'valve_open',
      value: on ? 1 : 0,
      unit: 'bool',
      ts: this.clock.now(),
      quality: 'good',
    };
  }

  private publishEvent(e: ControlEvent): void {
    this.emit('event', e);
    if (!this.uplink) return;
    try {
      this.uplink.publishEvent(e);
    } catch (err) {
      logger.warn({ err: errorMessage(err), kind: e.kind }, 'event not queued for the uplink');
    }
  }

  /** Last applied cloud config, else the file's initial config (whichever has the higher version). */
  private loadConfig(): void {
    const initial = this.file.initialConfig;
    let saved: GatewayConfig | undefined;
    try {
      const raw = readJson(this.configFile);
      if (raw !== undefined) saved = GatewayConfig.parse(raw);
    } catch (err) {
      logger.error(
        { err: errorMessage(err), file: this.configFile },
        'saved config unreadable; using the initial config',
      );
    }
    const usable = saved && zonesAgainstHardware(saved, hardwareOf(this.file)).length === 0 ? saved : undefined;
    this.cfg = usable && usable.version >= (initial?.version ?? 0) ? usable : (initial ?? NO_ZONES);
  }

  private loadState(): void {
    try {
      const raw = readJson(this.stateFile) as LoopState | undefined;
      if (raw && typeof raw === 'object' && raw.valves && raw.latest) this.loop = restoreState(raw, this.clock.now());
    } catch (err) {
      logger.error(
        { err: errorMessage(err), file: this.stateFile },
        'saved loop state unreadable; starting fresh (all closed)',
      );
    }
  }

  private persistState(changed: boolean): void {
    const now = this.clock.now();
    if (!changed && now - this.lastPersist < PERSIST_EVERY_MS) return;
    try {
      writeJsonAtomic(this.stateFile, this.loop);
      this.lastPersist = now;
    } catch (err) {
      logger.error({ err: errorMessage(err), file: this.stateFile }, 'could not save the loop state');
    }
  }
}

export { GatewayError };
