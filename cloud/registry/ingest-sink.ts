import type { CommandAck, ConfigAck, GatewayEvent, GatewayState } from '../../protocol/index.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import type { IngestSink, TelemetryInfo } from '../ingest/sink.js';
import type { Registry } from './registry.js';

export interface GatewayOnlineChange {
  gatewayId: string;
  online: boolean;
  at: number;
}

/**
 * The ingest's IngestSink on the registry: birth / last will flip a gateway online or offline once
 * per outage (not once per sensor), telemetry moves lastSeen / lastSeq / bootId, acks update
 * configs and commands, events are kept for the UI. `onlineChanged` hears each real flip, for alerts.
 */
export class RegistryIngestSink implements IngestSink {
  private readonly log: Logger;

  constructor(
    private readonly registry: Registry,
    private readonly opts: { clock?: Clock; log?: Logger; onlineChanged?: (c: GatewayOnlineChange) => void } = {},
  ) {
    this.log = (opts.log ?? rootLog).child({ mod: 'registry-sink' });
  }

  private now(): number {
    return (this.opts.clock ?? systemClock).now();
  }

  async onState(gatewayId: string, state: GatewayState, ts: number): Promise<void> {
    if (!state.online && state.bootId) {
      // a will queued for us while we were away can arrive after the birth of the gateway's next
      // boot (or its retained copy): a will of another boot than the current one is stale
      const cur = await this.registry.getGateway(gatewayId);
      if (cur?.bootId && cur.bootId !== state.bootId) {
        this.log.info(
          { gatewayId, willBoot: state.bootId, currentBoot: cur.bootId },
          'stale last will of an older boot ignored',
        );
        return;
      }
    }
    const r = await this.registry.recordState(gatewayId, state, ts);
    if (!r.changed) return;
    this.log.info({ gatewayId, online: r.online }, r.online ? 'gateway online' : 'gateway offline');
    this.opts.onlineChanged?.({ gatewayId, online: r.online, at: ts });
  }

  /**
   * A broker that crashes sends no will: gateways online whose last message is older than
   * `timeoutMs` (keepalive-based: 1.5 × the gateways' 30 s keepalive plus their batch delay,
   * default 90 s) are marked offline ("unreachable") through the same path as a will of their
   * current boot, so there is one state, one alert per outage and one recovery at the next birth.
   * Returns the gateways it marked.
   */
  async sweepUnreachable(timeoutMs = 90_000): Promise<string[]> {
    const now = this.now();
    const marked: string[] = [];
    for (const g of await this.registry.listGateways({ limit: 100_000 })) {
      if (!g.online || g.lastSeen === null || now - g.lastSeen < timeoutMs) continue;
      await this.onState(g.id, { online: false, ...(g.bootId ? { bootId: g.bootId } : {}) }, now);
      this.log.warn(
        { gatewayId: g.id, lastSeen: g.lastSeen },
        'gateway unreachable: nothing heard within the keepalive timeout',
      );
      marked.push(g.id);
      this.unreachable.add(g.id);
    }
    return marked;
  }

  /** gateways the sweep marked offline: their next message says they are back */
  private readonly unreachable = new Set<string>();

  async onTelemetry(gatewayId: string, info: TelemetryInfo): Promise<void> {
    if (this.unreachable.delete(gatewayId))
      await this.onState(gatewayId, { online: true, bootId: info.bootId, ts: this.now() }, this.now());
    // lastSeen / bootId / lastSeq only: gaps and duplicates are counted by the ingest's seq tracker
    await this.registry.recordTelemetry(gatewayId, { bootId: info.bootId, seq: info.seq }, this.now());
  }

  async onEvent(gatewayId: string, event: GatewayEvent): Promise<void> {
    await this.registry.recordEvent(gatewayId, event, this.now());
  }

  async onConfigAck(gatewayId: string, ack: ConfigAck): Promise<void> {
    const r = await this.registry.recordConfigAck(gatewayId, ack, this.now());
    if (!r.known)
      this.log.warn({ gatewayId, version: ack.version }, 'config ack for a version the registry does not know');
  }

  async onCmdAck(gatewayId: string, ack: CommandAck): Promise<void> {
    const r = await this.registry.recordCommandAck(gatewayId, ack, this.now());
    if (!r.known) this.log.warn({ gatewayId, command: ack.id }, 'ack for a command the registry does not know');
  }
}
