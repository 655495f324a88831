import fp from 'fastify-plugin';
import type { Registry } from '../registry/registry.js';
import type { Db } from '../db/index.js';
import type { CloudMqtt } from '../ingest/sink.js';
import { visibleFarms, type AuthService, type User } from '../auth/index.js';
import { controlRoutes, type ControlRoutesOptions } from './routes/index.js';
import { StartView } from './routes/schemas.js';
import { SqlAlertAckStore } from './alert-acks.js';
import type { LiveBus } from './bus.js';
import { RegistryCommandStore, RegistryConfigStore, RegistryEventStore } from './registry-stores.js';
import { ControlService, type ControlDeps } from './service.js';
import { startOf } from './start.js';
import { controlConsumer } from './uplink-consumer.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the farmer's control plane (set by the control plugin) */
    control: ControlService;
  }
}

type ControlStores = Pick<ControlDeps, 'configs' | 'commands' | 'events' | 'alertAcks'>;

/** Configs, commands and events on the registry; acknowledged alerts in the process's database (alr_acks). */
export function registryControlStores(registry: Registry, db?: Db): ControlStores {
  return {
    configs: new RegistryConfigStore(registry),
    commands: new RegistryCommandStore(registry),
    events: new RegistryEventStore(registry),
    ...(db ? { alertAcks: new SqlAlertAckStore(db) } : {}),
  };
}

export interface ControlPluginOptions extends Omit<ControlRoutesOptions, 'control'> {
  stores: ControlStores;
  bus: LiveBus;
  /**
   * the instance's one broker connection (its ingest): control publishes configs and commands on
   * it and hears acks, events, states and telemetry as one of its consumers (each decoded once)
   */
  uplink: Pick<CloudMqtt, 'publish' | 'addConsumer'> & Partial<Pick<CloudMqtt, 'seqStats'>>;
  clock?: ControlDeps['clock'];
}

/**
 * The farmer's control plane as `app.control`, on the accounts of `app.auth` (register the auth
 * plugin first), hung on the uplink, with its routes (config, commands, live, alerts, stream,
 * provisioning).
 */
export const controlPlugin = fp<ControlPluginOptions>(
  async (app, o) => {
    const control = new ControlService({
      ...o.stores,
      bus: o.bus,
      publish: o.uplink.publish,
      auth: app.auth,
      // GET /api/v1/gateways/:id/seq: the ingest's one tracker
      ...(o.uplink.seqStats ? { seq: (id: string) => o.uplink.seqStats!(id) } : {}),
      ...(o.clock ? { clock: o.clock } : {}),
    });
    app.decorate('control', control);
    const unhook = o.uplink.addConsumer(controlConsumer(control));
    app.addHook('onClose', async () => unhook());
    await app.register(controlRoutes, {
      control,
      ...(o.provisioner ? { provisioner: o.provisioner } : {}),
      ...(o.mqttPublicUrl ? { mqttPublicUrl: o.mqttPublicUrl } : {}),
    });
  },
  { name: 'ruongso-control', fastify: '5.x', dependencies: ['ruongso-auth'] },
);

/**
 * A farmer's first page, answered with the login (`start` of the auth routes, with its schema):
 * farms and the first gateway's view. Reads `app.control` when a farmer logs in, so it may be given before the
 * control plugin is registered.
 */
export function farmerStart(app: { control: ControlService; auth: AuthService }) {
  return {
    schema: StartView,
    of: async (u: User) =>
      u.role === 'farmer' ? startOf(app.control, visibleFarms(u, await app.auth.farms.listFarms())) : null,
  };
}
