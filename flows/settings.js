// Node-RED settings for Ruộng Số in production (docker: see flows/README.md).
// Secrets come from the environment only; with NODE_ENV=production a missing one stops the start.
const fs = require('node:fs');
const path = require('node:path');

const production = process.env.NODE_ENV === 'production';
const env = (name) => (process.env[name] || '').trim() || undefined;

function required(name, hint) {
  const v = env(name);
  if (!v && production)
    throw new Error(`${name} is not set: ${hint}. Node-RED refuses to start in production without it.`);
  return v;
}

const adminHash = required(
  'NODE_RED_ADMIN_HASH',
  'set a bcrypt hash of the admin password (`npx node-red admin hash-pw`)',
);
const credentialSecret = required(
  'NODE_RED_CREDENTIAL_SECRET',
  'set a long random string; it encrypts the broker password in flows_cred.json',
);

// Flows live in userDir (a volume) so editor deploys survive restarts; the shipped flows seed it once.
const userDir = env('NODE_RED_USER_DIR') || '/data';
const shippedFlows = path.join(__dirname, 'flows.json');
const flowFile = env('NODE_RED_FLOW_FILE') || path.join(userDir, 'flows.json');
if (!fs.existsSync(flowFile) && fs.existsSync(path.dirname(flowFile))) fs.copyFileSync(shippedFlows, flowFile);

module.exports = {
  uiPort: Number(env('PORT') || 1880),
  flowFile,
  flowFilePretty: true,
  ...(credentialSecret ? { credentialSecret } : {}),
  // node-red-contrib-ruongso; its npm dependencies are installed beside it (flows/Dockerfile)
  nodesDir: [env('RUONGSO_NODES_DIR') || path.join(__dirname, 'nodes')],

  adminAuth: adminHash
    ? {
        type: 'credentials',
        users: [{ username: env('NODE_RED_ADMIN_USER') || 'admin', password: adminHash, permissions: '*' }],
      }
    : undefined,
  // the HTTP-in endpoints of the flows (none shipped today) and the dashboard sit behind the same login
  httpNodeAuth: adminHash ? { user: env('NODE_RED_ADMIN_USER') || 'admin', pass: adminHash } : undefined,

  // no calls home, no npm installs from the editor or function nodes
  diagnostics: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  externalModules: {
    autoInstall: false,
    palette: { allowInstall: false, allowUpload: false },
    modules: { allowInstall: false },
  },
  functionExternalModules: false,
  editorTheme: { projects: { enabled: false }, tours: false, palette: { catalogues: [] } },

  logging: { console: { level: env('NODE_RED_LOG_LEVEL') || 'info', metrics: false, audit: false } },
  exportGlobalContextKeys: false,
  runtimeState: { enabled: false, ui: false },
};
