import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Id, type Command, type GatewayConfig } from '../protocol/index.js';
import { log } from '../lib/log.js';
import { RuongSoError, errorMessage } from '../lib/errors.js';
import { systemClock, type Clock } from '../lib/time.js';
import { issueSummary } from '../lib/zod-issues.js';
import type { LoopState } from './control/index.js';

const logger = log.child({ mod: 'local-control' });

export type LocalControlErrorCode = 'LOCAL_CONTROL_LISTEN' | 'LOCAL_CONTROL_UNREACHABLE' | 'LOCAL_CONTROL_REFUSED';

/** Errors of the local control endpoint and of its client (`ruongso gateway cmd`). */
export class LocalControlError extends RuongSoError<LocalControlErrorCode> {}

/** What the endpoint needs from the gateway (the `Gateway` class has all of it). */
export interface LocalControlTarget {
  readonly file: { gatewayId: string };
  readonly config: GatewayConfig;
  readonly state: LoopState;
  readonly uplinkConnected: boolean | null;
  command(cmd: Command): Promise<{ outcome: 'done' | 'rejected' | 'expired'; reason?: string; code?: string }>;
}

const Target = { zone: Id.optional(), valve: Id.optional() };
/** A person's command on site: ids, times and expiry are filled in here. */
export const LocalCommandRequest = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('open'),
        ...Target,
        minutes: z
          .number()
          .positive()
          .max(24 * 60),
      })
      .strict(),
    z.object({ kind: z.literal('close'), ...Target }).strict(),
    z.object({ kind: z.literal('stop-all') }).strict(),
    // no zone and no valve: every valve's hold ends
    z.object({ kind: z.literal('resume'), ...Target }).strict(),
  ])
  .superRefine((c, ctx) => {
    if (c.kind !== 'stop-all' && c.kind !== 'resume' && !c.zone && !c.valve)
      ctx.addIssue({ code: 'custom', path: ['zone'], message: `${c.kind} needs a zone or a valve` });
    if (c.kind !== 'stop-all' && c.zone && c.valve)
      ctx.addIssue({ code: 'custom', path: ['valve'], message: 'give a zone or a valve, not both' });
  });
export type LocalCommandRequest = z.infer<typeof LocalCommandRequest>;

export interface LocalStatus {
  gatewayId: string;
  configVersion: number;
  /** null: the gateway runs without a cloud */
  uplinkConnected: boolean | null;
  zones: { id: string; name?: string; mode: string; valves: { id: string; open: boolean; since: number | null }[] }[];
  valvesOpen: string[];
  pumpsOn: string[];
}

export interface LocalControlOptions {
  host: string;
  port: number;
  clock?: Clock;
}

// a local command is executed at once; the expiry only guards against a queue stalled behind a slow relay
const LOCAL_EXPIRY_MS = 60_000;
const MAX_BODY = 16 * 1024;

export function statusOf(gw: LocalControlTarget): LocalStatus {
  const s = gw.state;
  return {
    gatewayId: gw.file.gatewayId,
    configVersion: gw.config.version,
    uplinkConnected: gw.uplinkConnected,
    zones: gw.config.zones.map((z) => ({
      id: z.id,
      ...(z.name ? { name: z.name } : {}),
      mode: z.mode,
      valves: z.valves.map((v) => ({ id: v, open: s.valves[v]?.open ?? false, since: s.valves[v]?.since ?? null })),
    })),
    valvesOpen: Object.entries(s.valves)
      .filter(([, v]) => v.open)
      .map(([id]) => id),
    pumpsOn: Object.entries(s.pumps)
      .filter(([, p]) => p.on)
      .map(([id]) => id),
  };
}

/**
 * `POST /cmd` and `GET /status` on a loopback port, so a person on site can open, close and stop
 * valves with no cloud. No authentication: it listens on loopback only (the config refuses other
 * hosts), so only someone logged in to the gateway reaches it. Commands go through
 * `Gateway.command`, i.e. the same interlocks as the cloud's.
 */
export class LocalControl {
  private server: Server | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly gw: LocalControlTarget,
    private readonly opts: LocalControlOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Listens; rejects with LOCAL_CONTROL_LISTEN (e.g. the port is taken). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          new LocalControlError(
            'LOCAL_CONTROL_LISTEN',
            `local control cannot listen on ${this.opts.host}:${this.opts.port}: ${errorMessage(err)} (set local.port in the gateway file, or local: false)`,
            { cause: err },
          ),
        ),
      );
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
    logger.info({ url: this.url }, 'local control listening');
    return this.url;
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (!a) return '';
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const route = `${req.method} ${new URL(req.url ?? '/', 'http://local').pathname}`;
      if (route === 'GET /status') return reply(res, 200, statusOf(this.gw));
      if (route === 'POST /cmd') return await this.onCommand(req, res);
      if (route.endsWith(' /status') || route.endsWith(' /cmd'))
        return reply(res, 405, { error: `${req.method} not allowed here: GET /status, POST /cmd` });
      return reply(res, 404, { error: 'not found: GET /status, POST /cmd' });
    } catch (err) {
      logger.error({ err: errorMessage(err) }, 'local request failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal error; see the gateway log' });
    }
  }

  private async onCommand(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return reply(res, 413, { error: `body larger than ${MAX_BODY} bytes` });
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (err) {
      return reply(res, 400, { error: `body is not JSON: ${errorMessage(err)}` });
    }
    const parsed = LocalCommandRequest.safeParse(raw);
    if (!parsed.success) {
      const why = issueSummary(parsed.error, Infinity, '(body)');
      return reply(res, 400, {
        error: `bad command: ${why}. Expected {kind:"open", zone|valve, minutes} | {kind:"close", zone|valve} | {kind:"stop-all"} | {kind:"resume", zone|valve?}`,
      });
    }
    const now = this.clock.now();
    const cmd = {
      ...parsed.data,
      id: `local-${randomUUID()}`,
      issuedAt: now,
      expiresAt: now + LOCAL_EXPIRY_MS,
      by: 'local',
    } as Command;
    const r = await this.gw.command(cmd);
    logger.info({ cmdId: cmd.id, kind: cmd.kind, outcome: r.outcome, reason: r.reason }, 'local command');
    reply(res, r.outcome === 'done' ? 200 : 409, { id: cmd.id, ...r });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** The body as text, or undefined when it is larger than MAX_BODY. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // read to the end even when too large: leaving early would destroy the socket before the 413
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  }
  return size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8');
}

export type LocalReply = { status: number; body: Record<string, unknown> };

/** Client side, for `ruongso gateway cmd|status`: one request to a local endpoint. */
export async function localRequest(
  url: string,
  method: 'GET' | 'POST',
  pathName: string,
  body?: unknown,
): Promise<LocalReply> {
  let res: Response;
  try {
    res = await fetch(new URL(pathName, url), {
      method,
      signal: AbortSignal.timeout(15_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    throw new LocalControlError(
      'LOCAL_CONTROL_UNREACHABLE',
      `no gateway answers at ${url}: ${errorMessage(cause)} (is \`ruongso gateway --config FILE\` running, with local control on that port?)`,
      { cause: err },
    );
  }
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { error: text.slice(0, 500) };
  }
  return { status: res.status, body: parsed };
}
