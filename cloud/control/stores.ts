import type { CommandAck, GatewayConfig, GatewayEvent, Command } from '../../protocol/index.js';

/** Storage of the control plane, behind interfaces: memory here, the registry's SQL in registry-adapters. */
export type ConfigStatus = 'pending' | 'applied' | 'rejected';

export interface ConfigRecord {
  gatewayId: string;
  version: number;
  config: GatewayConfig;
  status: ConfigStatus;
  reasons: string[];
  issuedAt: number;
  issuedBy: string;
  ackAt?: number | undefined;
}

export interface ConfigStore {
  latest(gatewayId: string): Promise<ConfigRecord | undefined>;
  /** the newest version the gateway acked as applied */
  applied(gatewayId: string): Promise<ConfigRecord | undefined>;
  get(gatewayId: string, version: number): Promise<ConfigRecord | undefined>;
  /** stores a new version; fails (returns false) when that version already exists */
  insert(rec: ConfigRecord): Promise<boolean>;
  setStatus(gatewayId: string, version: number, status: ConfigStatus, reasons: string[], ackAt: number): Promise<void>;
}

export type CommandOutcome = 'sent' | CommandAck['outcome'];

export interface CommandRecord {
  gatewayId: string;
  command: Command;
  outcome: CommandOutcome;
  reason?: string | undefined;
  ackAt?: number | undefined;
}

export interface CommandStore {
  insert(rec: CommandRecord): Promise<void>;
  get(id: string): Promise<CommandRecord | undefined>;
  setOutcome(id: string, ack: CommandAck): Promise<void>;
  recent(gatewayId: string, limit: number): Promise<CommandRecord[]>;
}

export interface EventStore {
  append(gatewayId: string, e: GatewayEvent): Promise<void>;
  /** newest first */
  recent(gatewayId: string, limit: number): Promise<GatewayEvent[]>;
}

export class MemoryConfigStore implements ConfigStore {
  private readonly recs = new Map<string, ConfigRecord[]>();
  private list(gw: string) {
    return this.recs.get(gw) ?? [];
  }
  async latest(gw: string) {
    return this.list(gw).at(-1);
  }
  async applied(gw: string) {
    return this.list(gw)
      .filter((r) => r.status === 'applied')
      .at(-1);
  }
  async get(gw: string, v: number) {
    return this.list(gw).find((r) => r.version === v);
  }
  async insert(rec: ConfigRecord) {
    const l = this.list(rec.gatewayId);
    if (l.some((r) => r.version === rec.version)) return false;
    this.recs.set(
      rec.gatewayId,
      [...l, rec].sort((a, b) => a.version - b.version),
    );
    return true;
  }
  async setStatus(gw: string, v: number, status: ConfigStatus, reasons: string[], ackAt: number) {
    const r = this.list(gw).find((x) => x.version === v);
    if (r) Object.assign(r, { status, reasons, ackAt });
  }
}

export class MemoryCommandStore implements CommandStore {
  private readonly recs: CommandRecord[] = [];
  async insert(rec: CommandRecord) {
    this.recs.push(rec);
  }
  async get(id: string) {
    return this.recs.find((r) => r.command.id === id);
  }
  async setOutcome(id: string, ack: CommandAck) {
    const r = this.recs.find((x) => x.command.id === id);
    if (r) Object.assign(r, { outcome: ack.outcome, reason: ack.reason, ackAt: ack.ts });
  }
  async recent(gw: string, limit: number) {
    return this.recs
      .filter((r) => r.gatewayId === gw)
      .slice(-limit)
      .reverse();
  }
}

/** Bounded per gateway: the full history lives in the telemetry store. */
export class MemoryEventStore implements EventStore {
  private readonly events = new Map<string, GatewayEvent[]>();
  constructor(private readonly perGateway = 500) {}
  async append(gw: string, e: GatewayEvent) {
    const l = this.events.get(gw) ?? [];
    l.push(e);
    if (l.length > this.perGateway) l.splice(0, l.length - this.perGateway);
    this.events.set(gw, l);
  }
  async recent(gw: string, limit: number) {
    return (this.events.get(gw) ?? []).slice(-limit).reverse();
  }
}
