import type { CommandAck, ConfigAck, GatewayEvent, GatewayState } from '../../protocol/index.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { systemClock, type Clock } from '../../lib/time.js';
import type { IngestSink, TelemetryInfo } from '../ingest/sink.js';
import type { Registry } from './registry.js';

export interface GatewayOnlineChange { gatewayId: string; online: boolean; at: number }

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

  private now(): number { return (this.opts.clock ?? systemClock).now(); }

  async onState(gatewayId: string, state: GatewayState, ts: number): Promise<void> {
    const r = await this.registry.recordState(gatewayId, state, ts);
    if (!r.changed) return;
    this.log.info({ gatewayId, online: r.online }, r.online ? 'gateway online' : 'gateway offline');
    this.opts.onlineChanged?.({ gatewayId, online: r.online, at: ts });
  }

  async onTelemetry(gatewayId: string, info: TelemetryInfo): Promise<void> {
    const r = await this.registry.recordTelemetry(gatewayId, { bootId: info.bootId, seq: info.seq }, this.now());
    if (r.gap) this.log.debug({ gatewayId, gap: r.gap, seq: info.seq }, 'telemetry seq gap');
  }

  async onEvent(gatewayId: string, event: GatewayEvent): Promise<void> {
    await this.registry.recordEvent(gatewayId, event, this.now());
  }

  async onConfigAck(gatewayId: string, ack: ConfigAck): Promise<void> {
    const r = await this.registry.recordConfigAck(gatewayId, ack, this.now());
    if (!r.known) this.log.warn({ gatewayId, version: ack.version }, 'config ack for a version the registry does not know');
  }

  async onCmdAck(gatewayId: string, ack: CommandAck): Promise<void> {
    const r = await this.registry.recordCommandAck(gatewayId, ack, this.now());
    if (!r.known) this.log.warn({ gatewayId, command: ack.id }, 'ack for a command the registry does not know');
  }
}
