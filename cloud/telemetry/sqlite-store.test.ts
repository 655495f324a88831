import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteTelemetryStore } from './sqlite-store.js';
import { telemetryStoreContract } from '../../test/support/store-contract.js';

telemetryStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruongso-tsq-'));
  const store = new SqliteTelemetryStore({ file: path.join(dir, 'ruongso.sqlite') });
  await store.init();
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
