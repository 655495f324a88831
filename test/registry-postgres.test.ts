import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { registryContract } from './support/registry-contract.js';
import { createPgRegistry } from '../cloud/registry/pg-registry.js';
import { services } from './support/services.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ok = await services.postgres();

describe.skipIf(!ok)('PostgreSQL registry', () => {
  registryContract('PostgreSQL (schema of its own)', async () => {
    const schema = `reg_test_${randomBytes(4).toString('hex')}`;
    return {
      registry: createPgRegistry(PG_URL, { schema }),
      cleanup: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  });
});
