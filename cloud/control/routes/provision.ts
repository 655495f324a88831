import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ID_PATTERN, isReservedLogin } from '../../../protocol/index.js';
import {
  currentUser,
  requireRole,
  errorResponses,
  assertFarmAccess,
  AuthError,
  generatePassword,
} from '../../auth/index.js';

/**
 * Registers a gateway on a farm with a fresh broker password. The registry stores only a hash
 * (the adapter hashes); the password is in this one response and nowhere else.
 */
export interface GatewayProvisioner {
  /** the new broker credentials, or null when the gateway id already has credentials */
  provision(gatewayId: string, farmId: string, actor: string): Promise<{ username: string; password: string } | null>;
}

export class MemoryProvisioner implements GatewayProvisioner {
  readonly gateways = new Map<string, { farmId: string; password: string }>();
  async provision(id: string, farmId: string) {
    if (this.gateways.has(id)) return null;
    const password = generatePassword(24);
    this.gateways.set(id, { farmId, password });
    return { username: id, password };
  }
}

export async function provisionRoute(
  app: FastifyInstance,
  provisioner: GatewayProvisioner,
  mqttUrl?: string,
): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/provision/gateways',
    {
      preHandler: requireRole('technician', 'admin'),
      schema: {
        tags: ['control'],
        summary: 'Register a gateway on a farm and get its broker credentials (shown once)',
        body: z.object({
          gatewayId: z
            .string()
            .regex(ID_PATTERN, 'gateway id: 1–64 of a-z, 0-9, "-" or "_"')
            .refine((id) => !isReservedLogin(id), {
              message: 'gateway id is reserved for a service login',
              params: { code: 'reserved' },
            }),
          farmId: z.string().min(1).max(64),
        }),
        response: {
          201: z.object({
            gatewayId: z.string(),
            username: z.string(),
            password: z.string(),
            url: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const farm = (await app.auth.farms.listFarms()).find((f) => f.id === req.body.farmId);
      assertFarmAccess(user, farm, 'control');
      const cred = await provisioner.provision(req.body.gatewayId, req.body.farmId, user.username);
      if (!cred) throw new AuthError('CONFLICT', `gateway "${req.body.gatewayId}" is already registered`);
      await app.auth.record(
        user,
        'gateway.provision',
        `gateway:${req.body.gatewayId}`,
        undefined,
        { farmId: req.body.farmId },
        { farmId: req.body.farmId, cooperativeId: farm?.cooperativeId },
      );
      return reply.status(201).send({
        gatewayId: req.body.gatewayId,
        username: cred.username,
        password: cred.password,
        ...(mqttUrl ? { url: mqttUrl } : {}),
      });
    },
  );
}
