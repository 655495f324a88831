/**
 * The ingest benchmark's peer, as users build it today: Node-RED 4 with `mqtt in` (JSON) → a
 * function that maps a telemetry message to points → `influxdb batch` (node-red-contrib-influxdb,
 * InfluxDB 1.x). A `complete` node on the batch node reports each write once InfluxDB has taken it.
 * Runs in a process of its own (Node-RED is a singleton); config as JSON in argv[2]; talks over IPC:
 * sends {kind:'ready',cpuMs}, then {kind:'stored',n,ts (every 10th),at,cpuMs} per write; exits on 'stop'.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Cfg {
  mqttHost: string;
  mqttPort: number;
  username: string;
  password: string;
  influxHost: string;
  influxPort: number;
  db: string;
}
interface Red {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  events: { once(event: string, fn: () => void): void };
  nodes: { getNode(id: string): { connected?: boolean } | null };
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Cfg;
const require = createRequire(import.meta.url);
const RED = require('node-red') as Red;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const send = (m: Record<string, unknown>) => process.send!(m);

// what a user writes in the function node: one point per reading, tagged by gateway and sensor
const MAP = `const gateway = msg.topic.split('/')[3];
msg.payload = msg.payload.readings.map((r) => ({ measurement: r.metric, tags: { gateway, sensor: r.sensor }, fields: { value: r.value }, timestamp: r.ts }));
return msg;`;

// flow nodes carry x/y: Node-RED takes a node without them for a config node
const flows = [
  { id: 'tab', type: 'tab', label: 'ingest peer' },
  {
    id: 'broker',
    type: 'mqtt-broker',
    name: 'bench',
    broker: cfg.mqttHost,
    port: String(cfg.mqttPort),
    clientid: cfg.username,
    usetls: false,
    protocolVersion: '4',
    keepalive: '60',
    cleansession: true,
    autoConnect: true,
  },
  {
    id: 'influx',
    type: 'influxdb',
    hostname: cfg.influxHost,
    port: String(cfg.influxPort),
    protocol: 'http',
    database: cfg.db,
    name: 'bench',
    usetls: false,
    influxdbVersion: '1.x',
  },
  {
    id: 'in',
    x: 100,
    y: 100,
    type: 'mqtt in',
    z: 'tab',
    name: 'telemetry',
    topic: 'ruongso/v1/gw/+/telemetry',
    qos: '1',
    datatype: 'json',
    broker: 'broker',
    nl: false,
    rap: true,
    rh: 0,
    inputs: 0,
    wires: [['map']],
  },
  {
    id: 'map',
    x: 250,
    y: 100,
    type: 'function',
    z: 'tab',
    name: 'to points',
    func: MAP,
    outputs: 1,
    wires: [['batch']],
  },
  {
    id: 'batch',
    x: 400,
    y: 100,
    type: 'influxdb batch',
    z: 'tab',
    influxdb: 'influx',
    precision: 'ms',
    retentionPolicy: '',
    wires: [],
  },
  { id: 'done', x: 100, y: 200, type: 'complete', z: 'tab', scope: ['batch'], uncaught: false, wires: [['report']] },
  {
    id: 'report',
    x: 250,
    y: 200,
    type: 'function',
    z: 'tab',
    name: 'report',
    func: "global.get('report')(msg.payload);\nreturn null;",
    outputs: 0,
    wires: [],
  },
];

function report(points: Array<{ timestamp: number }>): void {
  const ts: number[] = [];
  for (let i = 0; i < points.length; i += 10) ts.push(points[i]!.timestamp);
  send({ kind: 'stored', n: points.length, ts, at: Date.now(), cpuMs: cpuMs() });
}

const userDir = mkdtempSync(path.join(tmpdir(), 'ruongso-bench-nodered-'));
const flowFile = path.join(userDir, 'flows.json');
writeFileSync(flowFile, JSON.stringify(flows));
// credentialSecret false: the credentials file is plain JSON
writeFileSync(
  path.join(userDir, 'flows_cred.json'),
  JSON.stringify({ broker: { user: cfg.username, password: cfg.password } }),
);
RED.init(http.createServer(), {
  userDir,
  flowFile,
  credentialSecret: false,
  httpAdminRoot: false,
  httpNodeRoot: false,
  functionGlobalContext: { report },
  functionExternalModules: false,
  externalModules: { palette: { allowInstall: false }, modules: { allowInstall: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  logging: { console: { level: process.env.NODE_RED_LOG ?? 'warn' } },
});
const started = new Promise<void>((resolve) => RED.events.once('flows:started', resolve));
await RED.start();
await started;
const deadline = Date.now() + 30_000;
while (!RED.nodes.getNode('broker')?.connected) {
  if (Date.now() > deadline) throw new Error('Node-RED peer: mqtt-broker node not connected after 30 s');
  await new Promise((r) => setTimeout(r, 50));
}
// the subscription goes out right after CONNACK: give it a moment before the load starts
await new Promise((r) => setTimeout(r, 500));
send({ kind: 'ready', cpuMs: cpuMs() });
async function stop(): Promise<void> {
  await RED.stop();
  rmSync(userDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('message', (m) => {
  if (m !== 'stop') return;
  // a failed stop must still end the peer, not leave it running with a rejected promise
  stop().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
});
