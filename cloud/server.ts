import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { log as rootLog, type Logger } from '../lib/log.js';
import { systemClock, type Clock } from '../lib/time.js';
import { buildApp, type Product } from './app.js';
import { BrokerAuth } from './broker/auth.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker.js';
import { portInUse } from './broker/errors.js';
import { loadConfig, type CloudConfig } from './config.js';
import { Ingest, type IngestOptions } from './ingest/ingest.js';
import { createRegistry } from './registry/create-registry.js';
import { RegistryIngestSink, type GatewayOnlineChange } from './registry/ingest-sink.js';
import type { Registry } from './registry/registry.js';
import { createTelemetryStore } from './telemetry/index.js';
import type { TelemetryStore } from './telemetry/store.js';
import { DeferredInitStore } from './telemetry/deferred-init.js';
import type { ComponentHealth } from './routes/health.js';
import { withAsAppliedLog } from './missions/as-applied.js';
import { MissionFeed } from './missions/live.js';
import { MemoryLiveBus } from './control/bus.js';
import { openMissionDb } from './missions/mission-db.js';
import type { ReportFacts } from './reports/facts.js';
import { createReportFacts, recordingRegistry } from './reports/recording.js';
import { topics } from '../protocol/index.js';

export interface CloudServiceOptions {
  /** default: loadConfig(env) */
  config?: CloudConfig;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema of the registry (tests); default `?schema=` of DATABASE_URL, else public */
  pgSchema?: string;
  /** use these instead of building them from the config (they are still init()ed and closed) */
  registry?: Registry;
  store?: TelemetryStore;
  /** stable per instance: the ingest's persistent MQTT session hangs on it; default host name */
  instanceId?: string;
  /** ingest tuning (flushMs, batchMaxReadings, …) */
  ingest?: Partial<Omit<IngestOptions, 'store' | 'sink' | 'mqttUrl' | 'dataDir'>>;
  /**
   * further logins on the embedded broker: `cloud` users may touch the whole namespace (Node-RED),
   * `drones` publish only their own as-applied log (username = drone id)
   */
  brokerUsers?: { cloud?: Record<string, string>; drones?: Record<string, string> };
  /**
   * the whole product: accounts and roles, the farmer's control API, missions, reports and the
   * web app at '/', with every gateway route scoped to the user's farms. Off = the bare API
   * shell (open, for tests of the shell itself).
   */
  webApp?: boolean | { tileUrl?: string };
  /** runs once the registry is ready, before anything reads it (the demo seeds its district here) */
  seed?: (registry: Registry) => Promise<void>;
  /** hears each real online/offline flip of a gateway */
  onlineChanged?: (c: GatewayOnlineChange) => void;
}

/**
 * The cloud in one object: config → registry → telemetry store → report facts → broker (MQTT_URL,
 * else embedded Aedes on MQTT_PORT) → ingest → (with the web app) the process's database → HTTP
 * app on PORT. It builds the components and hands them to buildApp once; which features run on
 * them is app.ts's business. start() brings them up in that order and takes down what it started
 * if a step fails; stop() closes in reverse: HTTP first (no new requests), the ingest flushes and
 * acks, then broker, store, registry.
 */
export class CloudService {
  readonly config: CloudConfig;
  readonly registry: Registry;
  readonly store: TelemetryStore;
  readonly log: Logger;
  /** set by start() */
  ingest!: Ingest;
  app!: FastifyInstance;
  broker: EmbeddedBroker | undefined;
  brokerUrl = '';
  /** facts the adoption reports count (state changes, valve runs, missions, activity) */
  facts: ReportFacts | undefined;
  /** the demo logins seeded at start (demo mode), as printable text */
  demoLogins = '';
  /** the cloud's own login on the broker */
  readonly cloudCredentials: { username: string; password: string } | undefined;
  #clock: Clock;
  #started: Array<() => Promise<void>> = [];
  #stopping: Promise<void> | undefined;

  constructor(private readonly opts: CloudServiceOptions = {}) {
    this.config = opts.config ?? loadConfig(opts.env ?? process.env);
    this.log = (opts.log ?? rootLog).child({ mod: 'cloud' });
    this.#clock = opts.clock ?? systemClock;
    this.registry = opts.registry ?? createRegistry(this.config, { pgSchema: opts.pgSchema });
    // InfluxDB down at start must not keep the cloud down: the ingest spools until it answers
    this.store = new DeferredInitStore(
      opts.store ?? createTelemetryStore(this.config, { dataDir: this.config.DATA_DIR, log: opts.log }),
      { log: opts.log, clock: this.#clock },
    );
    const c = this.config;
    // on the embedded broker the cloud logs in like anyone else; without configured credentials it
    // gets a random password per start (nobody else needs it)
    this.cloudCredentials =
      c.MQTT_USERNAME && c.MQTT_PASSWORD
        ? { username: c.MQTT_USERNAME, password: c.MQTT_PASSWORD }
        : c.MQTT_URL
          ? undefined
          : { username: 'cloud', password: randomBytes(18).toString('base64url') };
  }

  /** where people open the web app */
  get webUrl(): string {
    return this.config.PUBLIC_URL ?? `http://localhost:${this.port}`;
  }

  get port(): number {
    const a = this.app?.server.address();
    return a && typeof a === 'object' ? a.port : this.config.PORT;
  }

  async start(): Promise<void> {
    try {
      await this.#start();
    } catch (err) {
      await this.stop().catch((e: unknown) => this.log.error({ err: e }, 'cleanup after a failed start'));
      throw err;
    }
  }

  async #start(): Promise<void> {
    const c = this.config;
    await this.registry.init();
    this.#started.push(() => this.registry.close());
    await this.opts.seed?.(this.registry);
    await this.store.init();
    this.#started.push(() => this.store.close());
    const facts = createReportFacts(c, { pgSchema: this.opts.pgSchema });
    await facts.init();
    this.facts = facts;
    this.#started.push(() => facts.close());

    if (c.MQTT_URL) {
      this.brokerUrl = c.MQTT_URL;
    } else {
      const auth = new BrokerAuth({
        cloudUsers: {
          ...this.opts.brokerUsers?.cloud,
          [this.cloudCredentials!.username]: this.cloudCredentials!.password,
        },
        drones: this.opts.brokerUsers?.drones,
        gatewayCredentialHash: (id) => this.registry.getGatewayCredentialHash(id),
      });
      const broker = await startEmbeddedBroker({ port: c.MQTT_PORT, host: c.HOST, auth, log: this.opts.log });
      this.broker = broker;
      this.brokerUrl = broker.url;
      this.#started.push(() => broker.close());
    }

    // drones' as-applied logs go to the telemetry store beside the gateways' readings
    const registrySink = new RegistryIngestSink(recordingRegistry(this.registry, facts), {
      clock: this.#clock,
      log: this.opts.log,
      onlineChanged: this.opts.onlineChanged,
    });
    // the web app's live bus, made here so the as-applied sink can say a mission's samples arrive
    const bus = new MemoryLiveBus();
    const missionFeed = new MissionFeed(bus, { clock: this.#clock, log: this.opts.log });
    const sink = withAsAppliedLog(registrySink, this.store, {
      log: this.opts.log,
      onRecorded: (_d, msg) => void missionFeed.progress(msg.missionId),
    });
    const ingest = new Ingest({
      ...this.opts.ingest,
      store: this.store,
      sink,
      mqttUrl: this.brokerUrl,
      username: this.cloudCredentials?.username,
      password: this.cloudCredentials?.password,
      instanceId: this.opts.instanceId ?? os.hostname(),
      shareGroup: c.MQTT_SHARE_GROUP,
      // Aedes has no $share/: one subscriber per instance there; an external broker is asked
      shared: this.broker ? false : (this.opts.ingest?.shared ?? 'auto'),
      dataDir: c.DATA_DIR,
      spoolMaxBytes: c.SPOOL_MAX_MB * 1024 * 1024,
      clock: this.#clock,
      log: this.opts.log,
    });
    this.ingest = ingest;
    await ingest.start();
    this.#started.push(() => ingest.stop());
    // a broker crash sends no wills: silent gateways are marked unreachable after the keepalive timeout
    const sweep = setInterval(() => {
      registrySink.sweepUnreachable().catch((err: unknown) => this.log.warn({ err }, 'unreachable sweep failed'));
    }, 15_000);
    sweep.unref();
    this.#started.push(async () => clearInterval(sweep));

    const web = this.opts.webApp;
    const tileUrl = typeof web === 'object' && web.tileUrl !== undefined ? web.tileUrl : c.TILE_URL;
    let product: Product | undefined;
    if (web) {
      // fields, missions and acknowledged alerts, in the registry's database
      const db = openMissionDb(c, { pgSchema: this.opts.pgSchema });
      this.#started.push(() => db.close());
      product = {
        mode: c.RUONGSO_MODE,
        adminPassword: c.ADMIN_PASSWORD,
        uplink: ingest,
        bus,
        missionFeed,
        db,
        facts,
        tileUrl,
        missionCatalogFile: c.MISSION_CATALOG_FILE,
        onDemoLogins: (_logins, text) => {
          this.demoLogins = text;
        },
      };
    }
    this.app = await buildApp(
      {
        registry: this.registry,
        store: this.store,
        clock: this.#clock,
        ...(product ? { product } : {}),
        security: { production: c.RUONGSO_MODE === 'production', tileUrl },
        brokerHealth: () => this.#brokerHealth(),
        seq: (id) => this.ingest.seqStats(id),
        publishConfig: (gw, cfg) =>
          this.ingest.publish(topics.config(gw), JSON.stringify(cfg), { qos: 1, retain: true }),
      },
      { log: this.opts.log, trustProxy: c.TRUST_PROXY },
    );
    this.#started.push(() => this.app.close());
    try {
      await this.app.listen({ port: c.PORT, host: c.HOST });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse('PORT', c.PORT);
      throw err;
    }
    this.log.info(
      { url: this.webUrl, broker: this.brokerUrl, registry: this.registry.kind, telemetry: this.store.kind },
      'Ruộng Số cloud is up',
    );
  }

  #brokerHealth(): ComponentHealth {
    const s = this.ingest.status();
    const kind = this.broker ? 'embedded' : 'external';
    if (this.broker && this.broker.aedes.closed) return { ok: false, kind, detail: 'embedded broker closed' };
    return s.connected
      ? { ok: true, kind, detail: this.brokerUrl.replace(/\/\/[^@/]*@/, '//') }
      : { ok: false, kind, detail: `ingest not connected to ${this.brokerUrl.replace(/\/\/[^@/]*@/, '//')}` };
  }

  /** Closes everything started, newest first; safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const close of this.#started.reverse()) {
        await close().catch((err: unknown) => this.log.error({ err }, 'error while shutting down'));
      }
      this.#started = [];
    })();
    return this.#stopping;
  }
}

/**
 * Runs a CloudService until SIGINT/SIGTERM, then stops it (flush, close) and exits.
 * A second signal exits at once.
 */
export async function runUntilSignal(
  service: CloudService,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  await service.start();
  out.write(`Ruộng Số cloud: ${service.webUrl}  (API docs ${service.webUrl}/docs, broker ${service.brokerUrl})\n`);
  if (service.demoLogins) out.write(`${service.demoLogins}\n`);
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.once(sig, () => process.exit(130));
      service.log.info({ signal: sig }, 'shutting down');
      // a failed stop stays an unhandled rejection, so the process still ends with its stack
      void service.stop().finally(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
