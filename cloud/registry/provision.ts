import type { Actor, Registry } from './registry.js';
import { hashPassword, newSecret } from './password.js';
import { isReservedLogin } from '../../protocol/index.js';
import { RegistryError } from './errors.js';

export interface GatewayCredentials {
  gatewayId: string;
  username: string;
  password: string;
}

/**
 * Registers (or updates) a gateway and issues its broker credentials: username = gateway id,
 * a random secret returned once; the registry keeps only its scrypt hash.
 */
export async function provisionGateway(
  registry: Registry,
  gw: { id: string; farmId?: string | null; name?: string | null },
  actor: Actor,
): Promise<GatewayCredentials> {
  // the broker login is the gateway id: a service's name would let it take over that service
  if (isReservedLogin(gw.id))
    throw new RegistryError('INVALID', `"${gw.id}" is reserved for the cloud's own services, not a gateway id`);
  const existing = await registry.getGateway(gw.id);
  await registry.upsertGateway(
    { id: gw.id, farmId: gw.farmId ?? existing?.farmId ?? null, name: gw.name ?? existing?.name ?? null },
    actor,
  );
  const password = newSecret();
  await registry.setGatewayCredential(gw.id, await hashPassword(password), actor);
  return { gatewayId: gw.id, username: gw.id, password };
}
