import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { uiPlugin, type UiPluginOptions } from '../ui/plugin.js';
import { sessionPlugin as authPlugin } from './session.js';
import { makeErrorHandler } from '../routes/errors.js';
import type { AuthService } from './service.js';
import { authRoutes, type AuthRoutesOptions } from '../routes/auth/index.js';
import { usersRoutes } from '../routes/users/index.js';
import { auditRoutes } from '../routes/audit/index.js';
import { controlRoutes } from '../routes/control/index.js';
import type { ControlService } from '../control/service.js';
import { startOf } from '../control/start.js';
import { visibleFarms } from './scope.js';
import type { User } from './types.js';
import type { GatewayProvisioner } from '../routes/control/provision.js';
import { missionRoutes, type MissionRoutesOptions } from '../routes/missions/index.js';

export interface AccountsAndControl {
  auth: AuthService;
  control: ControlService;
  authRoutes?: AuthRoutesOptions;
  provisioner?: GatewayProvisioner;
  mqttPublicUrl?: string;
  /** spray mission routes; left out when absent */
  missions?: MissionRoutesOptions;
}

/**
 * Registers accounts, users, audit and the farmer's control API on an app that already has the
 * zod validator/serializer compilers set (and @fastify/swagger, if the routes should appear in
 * the OpenAPI document: register swagger first).
 */
export async function registerAccountsAndControl(app: FastifyInstance, o: AccountsAndControl): Promise<void> {
  // the one error handler (routes/errors.ts); on the root app it is the app's, as in app.ts
  app.setErrorHandler(makeErrorHandler());
  // a host that resolves sessions at its root (registryWebAppPlugin) has registered it already
  if (!app.hasPlugin('ruongso-auth')) await app.register(authPlugin, { service: o.auth });
  // a farmer's first page comes with the login: farms and the first gateway's view
  const start = async (u: User) =>
    u.role === 'farmer' ? startOf(o.control, visibleFarms(u, await o.auth.farms.listFarms())) : null;
  await app.register(authRoutes, { start, ...o.authRoutes });
  await app.register(usersRoutes);
  await app.register(auditRoutes);
  await app.register(controlRoutes, {
    control: o.control,
    ...(o.provisioner ? { provisioner: o.provisioner } : {}),
    ...(o.mqttPublicUrl ? { mqttPublicUrl: o.mqttPublicUrl } : {}),
  });
  if (o.missions) await app.register(missionRoutes, o.missions);
}

export interface WebAppPluginOptions extends AccountsAndControl {
  /** serve the built web app (cloud/ui/dist) with SPA fallback; false = API only */
  ui?: UiPluginOptions | false;
}

/**
 * Everything of accounts, control, missions and the web app as one plugin, for the shell's
 * `buildApp({ plugins: [{ plugin: webAppPlugin, options }] })`.
 */
export const webAppPlugin: FastifyPluginAsync<WebAppPluginOptions> = async (app, o) => {
  await registerAccountsAndControl(app, o);
  if (o.ui !== false) await app.register(uiPlugin, o.ui ?? {});
};
