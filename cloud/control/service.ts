import { randomUUID } from 'node:crypto';
import {
  Command,
  GatewayConfig,
  topics,
  type CommandAck,
  type ConfigAck,
  type GatewayEvent,
  type GatewayState,
  type Reading,
  type Telemetry,
  type Zone,
} from '../../protocol/index.js';
import { systemClock, minutes, type Clock } from '../../lib/time.js';
import { log } from '../../lib/log.js';
import { issueSummary } from '../../lib/zod-issues.js';
import { AuthError } from '../auth/errors.js';
import type { AuthService } from '../auth/service.js';
import type { User } from '../auth/types.js';
import type { LiveBus } from './bus.js';
import type { GatewaySeqStats } from '../ingest/seq-tracker.js';
import type { CommandStore, ConfigRecord, ConfigStore, EventStore } from './stores.js';
import { MemoryAlertAckStore, type AlertAckStore } from './alert-acks.js';

const logger = log.child({ mod: 'control' });

/** Publishes one MQTT message (the cloud's broker connection, injected). */
export type PublishFn = (topic: string, payload: string, opts: { qos: 0 | 1 | 2; retain: boolean }) => Promise<void>;

export interface ControlDeps {
  configs: ConfigStore;
  commands: CommandStore;
  events: EventStore;
  bus: LiveBus;
  publish: PublishFn;
  auth: AuthService;
  clock?: Clock;
  /** per-boot seq accounting of the ingest (absent without one: the memory app of tests) */
  seq?: (gatewayId: string) => GatewaySeqStats | undefined;
  /** acknowledged alerts (absent: kept in memory) */
  alertAcks?: AlertAckStore;
}

export interface LiveGateway {
  online: boolean | null;
  lastSeen: number | null;
  /** key `${sensor}/${metric}` → latest reading */
  latest: Record<string, Reading>;
  /** valve or pump id → open */
  actuators: Record<string, boolean>;
  /** sensor id → fault reason while faulty */
  faults: Record<string, string>;
  /** what the gateway's state says it cannot do (e.g. disk_full) */
  degraded: string[];
  /** boot of the last birth: a will of another boot is stale */
  bootId?: string;
  /** the config version the gateway says it runs (birth), its file's initialConfig included */
  configVersion?: number;
}

export interface NewCommand {
  kind: 'open' | 'close' | 'stop-all' | 'resume';
  zone?: string | undefined;
  valve?: string | undefined;
  minutes?: number | undefined;
  expiresInSeconds: number;
}

/**
 * The farmer's control plane: versioned configs published retained, commands with id and
 * expiry, and what the gateway answered. Uplink messages come in through the on* methods
 * (wired to ingest or to mqtt-bridge.ts).
 */
export class ControlService {
  private readonly live = new Map<string, LiveGateway>();
  readonly clock: Clock;
  readonly alertAcks: AlertAckStore;
  constructor(readonly d: ControlDeps) {
    this.clock = d.clock ?? systemClock;
    this.alertAcks = d.alertAcks ?? new MemoryAlertAckStore();
  }

  liveOf(gw: string): LiveGateway {
    let l = this.live.get(gw);
    if (!l) {
      l = { online: null, lastSeen: null, latest: {}, actuators: {}, faults: {}, degraded: [] };
      this.live.set(gw, l);
    }
    return l;
  }

  async putConfig(
    user: User,
    gw: string,
    farmId: string,
    cooperativeId: string,
    body: {
      zones: Zone[];
      pumps?: GatewayConfig['pumps'];
      timezone?: string | undefined;
      baseVersion?: number | undefined;
    },
  ): Promise<ConfigRecord> {
    const prev = await this.d.configs.latest(gw);
    if (body.baseVersion !== undefined && (prev?.version ?? 0) !== body.baseVersion) {
      throw new AuthError(
        'CONFLICT',
        `someone saved version ${prev?.version ?? 0} while you edited version ${body.baseVersion}; reload and try again`,
      );
    }
    const now = this.clock.now();
    // above what the gateway runs too: a gateway on its file's initialConfig v1 would take a
    // cloud v1 for the config it already has and never apply it
    const version = Math.max(prev?.version ?? 0, this.liveOf(gw).configVersion ?? 0) + 1;
    const parsed = GatewayConfig.safeParse({
      version,
      issuedAt: now,
      issuedBy: user.username,
      timezone: body.timezone ?? prev?.config.timezone ?? 'Asia/Ho_Chi_Minh',
      zones: body.zones,
      pumps: body.pumps ?? prev?.config.pumps ?? [],
    });
    if (!parsed.success) {
      throw new AuthError('BAD_REQUEST', issueSummary(parsed.error));
    }
    const rec: ConfigRecord = {
      gatewayId: gw,
      version,
      config: parsed.data,
      status: 'pending',
      reasons: [],
      issuedAt: now,
      issuedBy: user.username,
    };
    if (!(await this.d.configs.insert(rec)))
      throw new AuthError('CONFLICT', `version ${version} was saved at the same time; reload and try again`);
    await this.d.auth.record(
      user,
      'config.put',
      `gateway:${gw}`,
      changedZones(prev?.config.zones ?? [], parsed.data.zones, 'old'),
      changedZones(prev?.config.zones ?? [], parsed.data.zones, 'new'),
      { farmId, cooperativeId },
    );
    // retained: a gateway that is offline now gets it when it comes back
    await this.d.publish(topics.config(gw), JSON.stringify(parsed.data), { qos: 1, retain: true });
    this.d.bus.publish({ type: 'config', gatewayId: gw, version, status: 'pending', reasons: [] });
    return rec;
  }

  async sendCommand(user: User, gw: string, farmId: string, cooperativeId: string, c: NewCommand) {
    const now = this.clock.now();
    const base = { id: randomUUID(), issuedAt: now, expiresAt: now + c.expiresInSeconds * 1000, by: user.username };
    const raw =
      c.kind === 'open'
        ? { ...base, kind: 'open', zone: c.zone, valve: c.valve, minutes: c.minutes }
        : c.kind === 'close' || c.kind === 'resume'
          ? { ...base, kind: c.kind, zone: c.zone, valve: c.valve }
          : { ...base, kind: 'stop-all' };
    const parsed = Command.safeParse(raw);
    if (!parsed.success) throw new AuthError('BAD_REQUEST', issueSummary(parsed.error, Infinity));
    await this.d.commands.insert({ gatewayId: gw, command: parsed.data, outcome: 'sent' });
    await this.d.auth.record(user, `cmd.${c.kind}`, `gateway:${gw}`, undefined, parsed.data, { farmId, cooperativeId });
    await this.d.publish(topics.cmd(gw), JSON.stringify(parsed.data), { qos: 1, retain: false });
    this.d.bus.publish({ type: 'cmd', gatewayId: gw, id: parsed.data.id, outcome: 'sent' });
    return parsed.data;
  }

  async onConfigAck(gw: string, ack: ConfigAck): Promise<void> {
    const rec = await this.d.configs.get(gw, ack.version);
    if (!rec) {
      logger.warn({ gatewayId: gw, version: ack.version }, 'config ack for a version we never issued');
      return;
    }
    await this.d.configs.setStatus(gw, ack.version, ack.status, ack.reasons ?? [], ack.ts);
    this.d.bus.publish({
      type: 'config',
      gatewayId: gw,
      version: ack.version,
      status: ack.status,
      reasons: ack.reasons ?? [],
    });
  }

  async onCmdAck(gw: string, ack: CommandAck): Promise<void> {
    // an ack counts only from the gateway the command was sent to
    const rec = await this.d.commands.get(ack.id);
    if (!rec || rec.gatewayId !== gw) {
      logger.warn({ gatewayId: gw, command: ack.id }, 'ack for a command not sent to this gateway; ignored');
      return;
    }
    await this.d.commands.setOutcome(ack.id, ack);
    this.d.bus.publish({ type: 'cmd', gatewayId: gw, id: ack.id, outcome: ack.outcome, reason: ack.reason });
  }

  async onEvent(gw: string, e: GatewayEvent): Promise<void> {
    await this.d.events.append(gw, e);
    const l = this.liveOf(gw);
    const id = e.valve;
    if (id && (e.kind === 'valve_opened' || e.kind === 'pump_on')) l.actuators[id] = true;
    if (id && (e.kind === 'valve_closed' || e.kind === 'pump_off' || e.kind === 'max_run_time'))
      l.actuators[id] = false;
    if (e.kind === 'started') l.actuators = {};
    if (e.sensor && e.kind === 'sensor_fault') l.faults[e.sensor] = e.reason;
    if (e.sensor && e.kind === 'sensor_recovered') delete l.faults[e.sensor];
    this.d.bus.publish({ type: 'event', gatewayId: gw, event: e });
  }

  onState(gw: string, s: GatewayState): void {
    const l = this.liveOf(gw);
    if (!s.online && s.bootId && l.bootId && s.bootId !== l.bootId) return;
    if (s.online && s.bootId) l.bootId = s.bootId;
    l.online = s.online;
    if (s.online) l.degraded = s.degraded ?? [];
    if (s.configVersion !== undefined) l.configVersion = s.configVersion;
    const ts = s.ts ?? this.clock.now();
    if (s.online) l.lastSeen = ts;
    this.d.bus.publish({ type: 'state', gatewayId: gw, online: s.online, ts });
  }

  onTelemetry(gw: string, t: Telemetry): void {
    const l = this.liveOf(gw);
    for (const r of t.readings) {
      const k = `${r.sensor}/${r.metric}`;
      const prev = l.latest[k];
      if (!prev || prev.ts <= r.ts) l.latest[k] = r;
    }
    l.lastSeen = this.clock.now();
    if (l.online === null) l.online = true;
    this.d.bus.publish({ type: 'telemetry', gatewayId: gw, readings: t.readings });
  }
}

/** The zones a change touched, as they were ('old') or are now ('new'): the audit's old → new. */
function changedZones(before: Zone[], after: Zone[], side: 'old' | 'new'): Zone[] {
  const key = (z: Zone | undefined) => JSON.stringify(z ?? null);
  const ids = new Set([...before, ...after].map((z) => z.id));
  const out: Zone[] = [];
  for (const id of ids) {
    const b = before.find((z) => z.id === id);
    const a = after.find((z) => z.id === id);
    if (key(a) !== key(b)) {
      const pick = side === 'old' ? b : a;
      if (pick) out.push(pick);
    }
  }
  return out;
}

export const DEFAULT_CMD_EXPIRY = minutes(2) / 1000;
