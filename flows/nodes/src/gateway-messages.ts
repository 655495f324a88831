import { randomUUID } from 'node:crypto';
import { Command, GatewayConfig, type GatewayConfigInput } from '../../../protocol/index.js';
import { issueSummary } from '../../../lib/zod-issues.js';

export type Built<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One level deeper than Object.assign: a patch of `awd.refloodCm` keeps `awd.targetCm`. */
function mergeZone(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch))
    out[k] = isObject(v) && isObject(current[k]) ? { ...current[k], ...v } : v;
  return out;
}

/**
 * The next config of a gateway: either a full config (`zones` given) or a patch of one zone
 * (`{ zone: 'z1', awd: { refloodCm: -12 } }`) applied to the current retained config; a patch of
 * a zone the config lacks adds that zone.
 * The version is always one above the current one, so the edge can tell new from replayed.
 */
export function nextGatewayConfig(
  current: GatewayConfig | null,
  input: unknown,
  now: number,
  by?: string,
): Built<GatewayConfig> {
  if (!isObject(input))
    return { ok: false, message: 'msg.payload must be an object: a full config with zones, or { zone, …settings }' };
  let version = (current?.version ?? 0) + 1;
  let draft: Record<string, unknown>;
  if (Array.isArray(input.zones)) {
    draft = { ...input };
    // no retained config (e.g. cleared): a caller that knows the version may go higher, never lower
    if (typeof input.version === 'number' && input.version > version) version = input.version;
  } else if (typeof input.zone === 'string') {
    // without the current config a patch would replace every other zone: refuse, never guess
    if (!current)
      return {
        ok: false,
        message:
          'no current config of this gateway was found (none retained, or the broker did not answer in time): send a full config with "zones"',
      };
    const { zone: zoneId, ...patch } = input;
    const zones = current.zones as unknown as Record<string, unknown>[];
    const existing = zones.find((z) => z.id === zoneId);
    const merged = existing ? mergeZone(existing, patch) : { id: zoneId, ...patch };
    draft = { ...current, zones: existing ? zones.map((z) => (z === existing ? merged : z)) : [...zones, merged] };
  } else {
    return { ok: false, message: 'msg.payload needs "zones" (full config) or "zone" (the zone to change)' };
  }
  const candidate: GatewayConfigInput = {
    ...(draft as GatewayConfigInput),
    version,
    issuedAt: now,
    ...(by ? { issuedBy: by } : {}),
  };
  const r = GatewayConfig.safeParse(candidate);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, message: `config rejected: ${issueSummary(r.error, 3)}` };
}

/** A command with a fresh id and an expiry, validated against the contract. */
export function buildCommand(input: unknown, now: number, ttlMs: number, by?: string): Built<Command> {
  if (!isObject(input))
    return { ok: false, message: 'msg.payload must be an object like { kind: "open", zone: "z1", minutes: 20 }' };
  const candidate = {
    id: typeof input.id === 'string' ? input.id : `nr-${randomUUID()}`,
    ...input,
    issuedAt: now,
    expiresAt: now + ttlMs,
    ...(by && input.by === undefined ? { by } : {}),
  };
  const r = Command.safeParse(candidate);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, message: `command rejected: ${issueSummary(r.error, 3)}` };
}
