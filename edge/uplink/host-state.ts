import { HostState, parseTopic } from '../../protocol/index.js';

/**
 * What the gateway knows of the cloud's ingest hosts (Sparkplug B's primary-host STATE), from
 * their retained `ruongso/v1/host/{hostId}/state`. A host's "online" of this connection counts at
 * once when it arrives live; a retained copy after a reconnect only after `graceMs` (it can be
 * stale after a broker crash). A late will of an older session of a host (another `session`,
 * older `ts`) is ignored.
 */
export class HostStates {
  private readonly hosts = new Map<string, HostState>();
  /** a host said online after this connection came up (not only its retained copy) */
  private fresh = false;
  private connections = 0;
  private connectedAt = 0;

  constructor(
    private readonly graceMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new connection: what was heard before it may be stale. */
  connected(): void {
    this.fresh = false;
    this.connections++;
    this.connectedAt = this.now();
  }

  /** Takes one message of the host-state topic; returns false when it was not one or was stale. */
  take(topic: string, payload: Buffer, retained: boolean): boolean {
    const host = parseTopic(topic);
    if (host?.kind !== 'host') return false;
    if (payload.length === 0) return this.hosts.delete(host.hostId);
    let json: unknown = null;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return false;
    }
    const parsed = HostState.safeParse(json);
    if (!parsed.success) return false;
    const s = parsed.data;
    const cur = this.hosts.get(host.hostId);
    if (cur && !(s.session !== undefined && s.session === cur.session) && s.ts < cur.ts) return false;
    this.hosts.set(host.hostId, s);
    if (s.online && !retained) this.fresh = true;
    return true;
  }

  /** Some host says online. */
  get anyOnline(): boolean {
    return [...this.hosts.values()].some((h) => h.online);
  }

  /** Some host is online and that can be trusted now (see the class comment). */
  get sendable(): boolean {
    // the first connection of a process trusts the retained state at once
    const trusted = this.fresh || this.connections <= 1 || this.now() - this.connectedAt >= this.graceMs;
    return this.anyOnline && trusted;
  }

  get ids(): string[] {
    return [...this.hosts.keys()];
  }
}
