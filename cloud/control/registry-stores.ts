import type { Registry, GatewayConfigVersion, CommandRecord as RegCommand } from '../registry/registry.js';
import { provisionGateway } from '../registry/provision.js';
import { Command, GatewayConfig, type GatewayEvent } from '../../protocol/index.js';
import type { CommandRecord, CommandStore, ConfigRecord, ConfigStore, EventStore } from './stores.js';
import type { GatewayProvisioner } from './routes/provision.js';

/**
 * The control plane's stores on the registry's tables. Events and acks are written once, by the
 * ingest's registry sink (which checks that an ack comes from the command's own gateway); the
 * control plane hears them after that and only reads here.
 */
function toConfig(v: GatewayConfigVersion): ConfigRecord {
  return {
    gatewayId: v.gatewayId,
    version: v.version,
    config: GatewayConfig.parse(v.config),
    // a pending version replaced before any ack: never applied, say so
    status: v.status === 'superseded' ? 'rejected' : v.status,
    reasons: v.status === 'superseded' ? ['superseded by a newer version before the gateway answered'] : v.reasons,
    issuedAt: v.createdAt,
    issuedBy: v.createdBy,
    ackAt: v.ackedAt ?? undefined,
  };
}

export class RegistryConfigStore implements ConfigStore {
  constructor(private readonly reg: Registry) {}
  async latest(gw: string) {
    const [v] = await this.reg.listConfigs(gw, 1);
    return v ? toConfig(v) : undefined;
  }
  async applied(gw: string) {
    const v = (await this.reg.listConfigs(gw, 200)).find((x) => x.status === 'applied');
    return v ? toConfig(v) : undefined;
  }
  async get(gw: string, version: number) {
    const v = (await this.reg.listConfigs(gw, 200)).find((x) => x.version === version);
    return v ? toConfig(v) : undefined;
  }
  async insert(rec: ConfigRecord) {
    // the registry numbers versions itself (last + 1, in one transaction); ours must agree
    const v = await this.reg.putDesiredConfig(rec.gatewayId, rec.config, rec.issuedBy, rec.issuedAt);
    return v.version === rec.version;
  }
  async setStatus() {
    /* recorded by the ingest sink before the control plane hears the ack */
  }
}

function toCommand(c: RegCommand): CommandRecord {
  return {
    gatewayId: c.gatewayId,
    command: Command.parse(c.payload),
    outcome: c.status === 'pending' ? 'sent' : c.status,
    reason: c.reason ?? undefined,
    ackAt: c.ackedAt ?? undefined,
  };
}

export class RegistryCommandStore implements CommandStore {
  constructor(private readonly reg: Registry) {}
  async insert(rec: CommandRecord) {
    await this.reg.createCommand(
      {
        id: rec.command.id,
        gatewayId: rec.gatewayId,
        kind: rec.command.kind,
        payload: rec.command,
        expiresAt: rec.command.expiresAt,
      },
      rec.command.by ?? 'control',
      rec.command.issuedAt,
    );
  }
  async get(id: string) {
    const c = await this.reg.getCommand(id);
    return c ? toCommand(c) : undefined;
  }
  async setOutcome() {
    /* recorded by the ingest sink (for the command's own gateway only) */
  }
  async recent(gw: string, limit: number) {
    return (await this.reg.listCommands(gw, limit)).map(toCommand);
  }
}

export class RegistryEventStore implements EventStore {
  constructor(private readonly reg: Registry) {}
  async append(_gw: string, _e: GatewayEvent) {
    /* recorded by the ingest sink */
  }
  async recent(gw: string, limit: number): Promise<GatewayEvent[]> {
    return (await this.reg.listEvents(gw, limit)).map(({ id: _i, gatewayId: _g, receivedAt: _r, ...e }) => e);
  }
}

/** Provisioning through the registry's helper (it stores the credential's hash only). */
export class RegistryProvisioner implements GatewayProvisioner {
  constructor(private readonly reg: Registry) {}
  async provision(gatewayId: string, farmId: string, actor: string) {
    if (await this.reg.getGatewayCredentialHash(gatewayId)) return null;
    const c = await provisionGateway(this.reg, { id: gatewayId, farmId }, actor);
    return { username: c.username, password: c.password };
  }
}
