import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../lib/ports.js';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of the embedded Node-RED API the tests use. */
interface EmbeddedRed {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: http.RequestListener;
  httpNode: http.RequestListener;
  events: { once(event: string, fn: () => void): void };
  nodes: { getNode(id: string): any };
}

export interface NodeRedRuntime {
  /** base URL; the admin API is under /admin, http-in nodes under /api */
  url: string;
  getNode(id: string): any;
  /** fires an inject node, as the editor's button does */
  inject(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Node-RED 4 runtime in this process, with the ruongso nodes from flows/nodes loaded and
 * `flows` as its flow file. Node-RED is a singleton: one runtime per test file (process).
 * Flow properties written `${VAR}` read process.env: set it before calling.
 */
export async function startNodeRed(flows: unknown[]): Promise<NodeRedRuntime> {
  const RED = require('node-red') as EmbeddedRed;
  const express = createRequire(require.resolve('node-red'))('express');
  const userDir = mkdtempSync(path.join(tmpdir(), 'ruongso-nodered-'));
  const flowFile = path.join(userDir, 'flows.json');
  writeFileSync(flowFile, JSON.stringify(flows));
  const app = express();
  const server = http.createServer(app);
  RED.init(server, {
    userDir,
    flowFile,
    nodesDir: [path.join(repo, 'flows/nodes')],
    httpAdminRoot: '/admin',
    httpNodeRoot: '/api',
    credentialSecret: false,
    functionExternalModules: false,
    externalModules: { palette: { allowInstall: false }, modules: { allowInstall: false } },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    logging: { console: { level: process.env.NODE_RED_LOG ?? 'warn' } },
  });
  app.use('/admin', RED.httpAdmin);
  app.use('/api', RED.httpNode);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const started = new Promise<void>((resolve) => RED.events.once('flows:started', resolve));
  await RED.start();
  await started;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    getNode: (id) => RED.nodes.getNode(id),
    inject: async (id) => {
      const res = await fetch(`${url}/admin/inject/${id}`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`inject ${id}: HTTP ${res.status}`);
    },
    stop: async () => {
      await RED.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}
