import { Command, GatewayConfig, type CommandAck, type ConfigAck } from '../../protocol/index.js';
import type { Clock } from '../../lib/time.js';
import { hours } from '../../lib/time.js';
import { errorMessage } from '../../lib/errors.js';
import type { Logger } from '../../lib/log.js';
import { issueLines, issueSummary } from '../../lib/zod-issues.js';
import type { DiskQueue } from './disk-queue.js';

export type ConfigResult = { status: 'applied' } | { status: 'rejected'; reasons: string[] };
/** Applies a config atomically and persists it; the uplink acks what it returns. */
export type ConfigHandler = (cfg: GatewayConfig) => ConfigResult | Promise<ConfigResult>;
export type CommandResult = { status: 'done' } | { status: 'rejected'; reason: string };
export type CommandHandler = (cmd: Command) => CommandResult | Promise<CommandResult>;

// remember a command id this long after its expiry, against clock skew between cloud and edge
const KEEP_AFTER_EXPIRY_MS = hours(24);

// what a rejection names of a bad message: the first issues, each within the ack's 500 characters
const ISSUES = { max: 20, maxLength: 500 };

/**
 * Cloud → edge: retained config and commands. Messages are handled one at a time, in arrival
 * order, so a config is never applied while the previous one is still being applied.
 */
export class Downlink {
  configHandler: ConfigHandler | undefined;
  commandHandler: CommandHandler | undefined;
  appliedVersion = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: DiskQueue,
    private readonly ack: (channel: 'config/ack' | 'cmd/ack', payload: ConfigAck | CommandAck) => void,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Serialises handling; resolves when this message is done (for tests). */
  handle(kind: 'config' | 'cmd', bytes: Buffer): Promise<void> {
    const run = () => (kind === 'config' ? this.handleConfig(bytes) : this.handleCommand(bytes));
    this.chain = this.chain.then(run).catch((err) => this.log.error({ err, kind }, 'downlink handling failed'));
    return this.chain;
  }

  private async handleConfig(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return; // a cleared retained config: nothing to apply
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.ackConfig(0, 'rejected', [`config is not JSON: ${errorMessage(err)}`]);
      return;
    }
    const rawVersion = (raw as { version?: unknown } | null)?.version;
    const version = Number.isInteger(rawVersion) && (rawVersion as number) >= 0 ? (rawVersion as number) : 0;
    const parsed = GatewayConfig.safeParse(raw);
    if (!parsed.success) {
      this.log.warn({ version }, 'config rejected: schema');
      this.ackConfig(version, 'rejected', issueLines(parsed.error, ISSUES));
      return;
    }
    const cfg = parsed.data;
    if (cfg.version <= this.appliedVersion) {
      // a retained config comes back on every (re)subscribe: confirm, do not re-apply
      this.ackConfig(this.appliedVersion, 'applied');
      return;
    }
    if (!this.configHandler) {
      this.log.warn({ version: cfg.version }, 'config received before a handler was registered; not acked');
      return;
    }
    let result: ConfigResult;
    try {
      result = await this.configHandler(cfg);
    } catch (err) {
      result = { status: 'rejected', reasons: [`gateway could not apply the config: ${errorMessage(err)}`] };
    }
    if (result.status === 'applied') this.appliedVersion = cfg.version;
    this.log.info({ version: cfg.version, status: result.status }, 'config handled');
    this.ackConfig(cfg.version, result.status, result.status === 'rejected' ? result.reasons : undefined);
  }

  private ackConfig(version: number, status: 'applied' | 'rejected', reasons?: string[]): void {
    this.ack('config/ack', {
      version,
      status,
      ...(reasons ? { reasons: reasons.slice(0, 100) } : {}),
      ts: this.clock.now(),
    });
  }

  private async handleCommand(bytes: Buffer): Promise<void> {
    const now = this.clock.now();
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.log.warn({}, 'command is not JSON; dropped (no id to ack)');
      return;
    }
    const parsed = Command.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      const reason = issueSummary(parsed.error, ISSUES);
      if (typeof id === 'string' && id.length > 0 && id.length <= 64)
        this.ackCommand(id, 'rejected', `invalid command: ${reason}`);
      else this.log.warn({ reason }, 'invalid command without an id; dropped');
      return;
    }
    const cmd = parsed.data;
    this.queue.forgetCommandsBefore(now);
    if (now > cmd.expiresAt) {
      this.ackCommand(cmd.id, 'expired', `expired ${Math.round((now - cmd.expiresAt) / 1000)} s ago`);
      return;
    }
    if (this.queue.seenCommand(cmd.id) !== null) {
      this.ackCommand(cmd.id, 'duplicate', 'this command id was already received');
      return;
    }
    if (!this.commandHandler) {
      this.ackCommand(cmd.id, 'rejected', 'gateway has no command handler');
      return;
    }
    // remembered before it runs: a crash mid-command must not run it again on redelivery
    this.queue.rememberCommand(cmd.id, cmd.expiresAt + KEEP_AFTER_EXPIRY_MS, 'running');
    let result: CommandResult;
    try {
      result = await this.commandHandler(cmd);
    } catch (err) {
      result = { status: 'rejected', reason: errorMessage(err) };
    }
    this.queue.rememberCommand(cmd.id, cmd.expiresAt + KEEP_AFTER_EXPIRY_MS, result.status);
    this.ackCommand(cmd.id, result.status, result.status === 'rejected' ? result.reason : undefined);
  }

  private ackCommand(id: string, outcome: CommandAck['outcome'], reason?: string): void {
    this.ack('cmd/ack', { id, outcome, ...(reason ? { reason: reason.slice(0, 500) } : {}), ts: this.clock.now() });
  }
}
