import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import { GatewayConfig, Zone } from '../../protocol/index.js';
import { fieldIssues } from '../missions/field.js';
import { normalizePhone } from '../registry/phone.js';
import { ROLES, type Actor, type Registry } from '../registry/registry.js';

/**
 * A whole district in one file (YAML or JSON): the administrative tree, cooperatives, farms with
 * their gateways, and users with a role and scopes. Validated as a whole against itself and the
 * registry, then written in one transaction: all of it or nothing. Ids already in the registry
 * are updated (the audit log keeps old → new), so loading a file twice changes nothing.
 */
const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'ids: lowercase letters, digits, ".", "_" or "-", at most 64');
const Name = z.string().trim().min(1).max(200);
/**
 * A gateway: its id alone, or `{ id, zones }` whose zones become its desired config (the protocol's
 * zone schema, so a bad zone is refused at `farms.I.gateways.J.zones.K…` like anywhere else).
 */
const GatewayEntry = z.preprocess(
  (v) => (typeof v === 'string' ? { id: v } : v),
  z.object({ id: Id, zones: z.array(Zone).max(64).optional() }).strict(),
);

export const DistrictFile = z
  .object({
    units: z
      .array(
        z
          .object({ id: Id, parent: Id.nullable().default(null), level: z.string().min(1).max(32), name: Name })
          .strict(),
      )
      .max(10_000)
      .default([]),
    cooperatives: z
      .array(z.object({ id: Id, name: Name, unit: Id.nullable().default(null) }).strict())
      .max(1000)
      .default([]),
    farms: z
      .array(
        z
          .object({
            id: Id,
            name: Name,
            owner: z.string().max(200).nullable().default(null),
            unit: Id,
            cooperative: Id.nullable().default(null),
            areaHa: z.number().positive().max(10_000).nullable().default(null),
            gateways: z.array(GatewayEntry).max(50).default([]),
            // GeoJSON Polygon [lon, lat]; checked by the missions' field validator (closed ring, no crossing, size)
            fields: z
              .array(
                z
                  .object({
                    id: Id,
                    name: Name,
                    boundary: z.object({ type: z.literal('Polygon'), coordinates: z.unknown() }).strict(),
                  })
                  .strict(),
              )
              .max(200)
              .default([]),
          })
          .strict(),
      )
      .max(100_000)
      .default([]),
    users: z
      .array(
        z
          .object({
            username: z.string().regex(/^[a-z0-9_.-]{3,32}$/),
            name: Name,
            role: z.enum(ROLES),
            phone: z.string().max(32).optional(),
            farms: z.array(Id).max(100).default([]),
            cooperative: Id.optional(),
            communes: z.array(Id).max(100).default([]),
          })
          .strict(),
      )
      .max(100_000)
      .default([]),
  })
  .strict();
export type DistrictFile = z.infer<typeof DistrictFile>;

export interface OnboardingIssue {
  path: string;
  code: string;
  params?: Record<string, unknown>;
}

export class OnboardingError extends RuongSoError<'ONBOARDING_INVALID'> {
  constructor(readonly issues: OnboardingIssue[]) {
    super(
      'ONBOARDING_INVALID',
      `the district file has ${issues.length} problem(s): ${issues
        .slice(0, 5)
        .map((i) => `${i.path} ${i.code}`)
        .join('; ')}`,
      { context: { issues } },
    );
  }
}

/** Every problem of the file at once (schema, duplicates, references), or the parsed file. */
export async function checkDistrict(input: unknown, reg: Registry): Promise<DistrictFile> {
  const parsed = DistrictFile.safeParse(input);
  if (!parsed.success) {
    throw new OnboardingError(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, params: { message: i.message } })),
    );
  }
  const f = parsed.data;
  const [levels, units, coops, farms, users] = await Promise.all([
    reg.listUnitLevels(),
    reg.listUnits(),
    reg.listCooperatives(),
    reg.listFarms(),
    reg.listUsers(),
  ]);
  const issues: OnboardingIssue[] = [];
  const ids = (xs: { id: string }[]) => new Set(xs.map((x) => x.id));
  const unitIds = new Set([...ids(units), ...f.units.map((u) => u.id)]);
  const coopIds = new Set([...ids(coops), ...f.cooperatives.map((c) => c.id)]);
  const farmIds = new Set([...ids(farms), ...f.farms.map((x) => x.id)]);
  const levelNames = new Set(levels.map((l) => l.level));
  const dup = (list: string[], where: string) => {
    const seen = new Set<string>();
    list.forEach((id, i) => {
      if (seen.has(id)) issues.push({ path: `${where}.${i}`, code: 'duplicate', params: { id } });
      seen.add(id);
    });
  };
  const ref = (ok: boolean, path: string, what: string, id: string | null) => {
    if (id !== null && !ok) issues.push({ path, code: 'unknown_ref', params: { what, id } });
  };
  dup(
    f.units.map((u) => u.id),
    'units',
  );
  dup(
    f.cooperatives.map((c) => c.id),
    'cooperatives',
  );
  dup(
    f.farms.map((x) => x.id),
    'farms',
  );
  dup(
    f.users.map((u) => u.username),
    'users',
  );
  dup(
    f.farms.flatMap((x) => x.fields.map((fl) => fl.id)),
    'fields',
  );
  f.farms.forEach((x, i) =>
    x.fields.forEach((fl, j) => {
      const { issues: bad } = fieldIssues(fl.boundary.coordinates);
      const first = bad[0];
      if (first)
        issues.push({
          path: `farms.${i}.fields.${j}.boundary`,
          code: first.code,
          params: { ...(first.params ?? {}), field: fl.id, name: fl.name, problems: bad.length },
        });
    }),
  );
  dup(
    f.farms.flatMap((x) => x.gateways.map((g) => g.id)),
    'gateways',
  );
  f.farms.forEach((x, i) =>
    x.gateways.forEach((g, j) => {
      if (!g.zones) return;
      // the config's own rules (zone ids unique) on top of each zone's
      const cfg = GatewayConfig.safeParse({ version: 1, zones: g.zones });
      if (!cfg.success)
        for (const e of cfg.error.issues)
          issues.push({
            path: [`farms.${i}.gateways.${j}`, ...e.path].join('.'),
            code: e.code,
            params: { message: e.message },
          });
    }),
  );
  f.units.forEach((u, i) => {
    if (!levelNames.has(u.level))
      issues.push({
        path: `units.${i}.level`,
        code: 'unknown_level',
        params: { level: u.level, known: [...levelNames] },
      });
    ref(u.parent === null || unitIds.has(u.parent), `units.${i}.parent`, 'unit', u.parent);
    if (u.parent === u.id) issues.push({ path: `units.${i}.parent`, code: 'own_parent', params: { id: u.id } });
  });
  f.cooperatives.forEach((c, i) =>
    ref(c.unit === null || unitIds.has(c.unit), `cooperatives.${i}.unit`, 'unit', c.unit),
  );
  f.farms.forEach((x, i) => {
    ref(unitIds.has(x.unit), `farms.${i}.unit`, 'unit', x.unit);
    ref(x.cooperative === null || coopIds.has(x.cooperative), `farms.${i}.cooperative`, 'cooperative', x.cooperative);
  });
  const phones = new Map(users.filter((u) => u.phone).map((u) => [u.phone!, u.username]));
  f.users.forEach((u, i) => {
    u.farms.forEach((id, j) => ref(farmIds.has(id), `users.${i}.farms.${j}`, 'farm', id));
    u.communes.forEach((id, j) => ref(unitIds.has(id), `users.${i}.communes.${j}`, 'unit', id));
    if (u.cooperative) ref(coopIds.has(u.cooperative), `users.${i}.cooperative`, 'cooperative', u.cooperative);
    if (u.phone !== undefined) {
      const p = normalizePhone(u.phone);
      if (!p) issues.push({ path: `users.${i}.phone`, code: 'phone_invalid', params: { phone: u.phone } });
      else if (phones.has(p) && phones.get(p) !== u.username)
        issues.push({ path: `users.${i}.phone`, code: 'phone_taken', params: { phone: p } });
      else phones.set(p, u.username);
    }
  });
  if (issues.length) throw new OnboardingError(issues);
  return f;
}

export interface OnboardingResult {
  units: number;
  cooperatives: number;
  farms: number;
  gateways: number;
  fields: number;
  /** desired configs written by this load (none when the file's zones equal the current ones) */
  configs: { gatewayId: string; version: number; config: GatewayConfig }[];
  usersCreated: string[];
  usersUpdated: string[];
}

/**
 * Writes a checked district in one transaction. New users get the password `passwordFor(username)`
 * gives (already hashed by the caller's function); existing users keep theirs and get the scopes of
 * the file. Parents are written before children whatever the order in the file.
 */
export async function applyDistrict(
  reg: Registry,
  f: DistrictFile,
  actor: Actor,
  hashFor: (username: string) => Promise<string>,
): Promise<OnboardingResult> {
  const hashes = new Map<string, string>();
  const existing = new Set((await reg.listUsers()).map((u) => u.username));
  for (const u of f.users) if (!existing.has(u.username)) hashes.set(u.username, await hashFor(u.username));
  return reg.atomically(async (r) => {
    const byId = new Map(f.units.map((u) => [u.id, u]));
    const done = new Set<string>();
    const put = async (u: DistrictFile['units'][number], depth = 0): Promise<void> => {
      if (done.has(u.id) || depth > 32) return;
      const parent = u.parent ? byId.get(u.parent) : undefined;
      if (parent) await put(parent, depth + 1);
      await r.upsertUnit({ id: u.id, parentId: u.parent, level: u.level, name: u.name }, actor);
      done.add(u.id);
    };
    for (const u of f.units) await put(u);
    for (const c of f.cooperatives) await r.upsertCooperative({ id: c.id, name: c.name, unitId: c.unit }, actor);
    let gateways = 0;
    let fields = 0;
    const configs: OnboardingResult['configs'] = [];
    for (const x of f.farms) {
      await r.upsertFarm(
        { id: x.id, name: x.name, owner: x.owner, unitId: x.unit, cooperativeId: x.cooperative, areaHa: x.areaHa },
        actor,
      );
      for (const g of x.gateways) {
        await r.upsertGateway({ id: g.id, farmId: x.id, name: null }, actor);
        gateways++;
        if (g.zones) {
          const c = await desiredConfig(r, g.id, g.zones, actor);
          if (c) configs.push(c);
        }
      }
      for (const fl of x.fields) {
        const areaHa = fieldIssues(fl.boundary.coordinates).areaM2 / 10_000;
        await r.upsertField({ id: fl.id, farmId: x.id, name: fl.name, boundary: fl.boundary, areaHa }, actor);
        fields++;
      }
    }
    const all = await r.listUsers();
    const out: OnboardingResult = {
      units: f.units.length,
      cooperatives: f.cooperatives.length,
      farms: f.farms.length,
      gateways,
      fields,
      configs,
      usersCreated: [],
      usersUpdated: [],
    };
    for (const u of f.users) {
      const scopes = {
        farmIds: u.farms,
        unitIds: u.communes,
        cooperativeId: u.cooperative ?? null,
        role: u.role,
        displayName: u.name,
        ...(u.phone ? { phone: u.phone } : {}),
      };
      const found = all.find((x) => x.username === u.username);
      if (found) {
        await r.updateUser(found.id, scopes, actor, Date.now());
        out.usersUpdated.push(u.username);
        continue;
      }
      await r.createUser(
        {
          username: u.username,
          displayName: u.name,
          role: u.role,
          phone: u.phone ?? null,
          farmIds: u.farms,
          unitIds: u.communes,
          cooperativeId: u.cooperative ?? null,
          passwordHash: hashes.get(u.username)!,
        },
        actor,
        Date.now(),
      );
      out.usersCreated.push(u.username);
    }
    return out;
  });
}

/**
 * Stores `zones` as the gateway's next desired config, keeping its timezone and pumps, unless the
 * current desired config already has exactly these zones (so a reload makes no new version).
 */
async function desiredConfig(
  r: Registry,
  gw: string,
  zones: Zone[],
  actor: Actor,
): Promise<OnboardingResult['configs'][number] | null> {
  const [latest] = await r.listConfigs(gw, 1);
  const prev = latest ? GatewayConfig.safeParse(latest.config) : undefined;
  const old = prev?.success ? prev.data : undefined;
  const parsedZones = GatewayConfig.parse({ version: 1, zones }).zones;
  if (old && JSON.stringify(old.zones) === JSON.stringify(parsedZones)) return null;
  const view = await r.getGateway(gw);
  // the same rule as the registry's: above every version stored, desired or reported applied
  const version = Math.max(latest?.version ?? 0, view?.desiredConfigVersion ?? 0, view?.appliedConfigVersion ?? 0) + 1;
  const now = Date.now();
  const config = GatewayConfig.parse({
    version,
    issuedAt: now,
    issuedBy: actor,
    timezone: old?.timezone ?? 'Asia/Ho_Chi_Minh',
    zones: parsedZones,
    pumps: old?.pumps ?? [],
  });
  const stored = await r.putDesiredConfig(gw, config, actor, now);
  if (stored.version !== version) throw new OnboardingError([{ path: `gateways.${gw}`, code: 'config_version_race' }]);
  return { gatewayId: gw, version, config };
}
