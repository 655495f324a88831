import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registryContract } from './support/registry-contract.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';

registryContract('SQLite file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-reg-'));
  return {
    registry: createSqliteRegistry(path.join(dir, 'ruongso.sqlite')),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
