import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../cloud/demo/history.js';
import { DEMO_FARMS, DEMO_UNITS, seedDemoDistrict } from '../cloud/demo/seed.js';
import { createPgRegistry } from '../cloud/registry/pg-registry.js';
import type { Registry } from '../cloud/registry/registry.js';
import { createSqliteRegistry } from '../cloud/registry/sqlite-registry.js';
import { ReportFacts } from '../cloud/reports/facts.js';
import { addMonths, monthOf } from '../cloud/reports/months.js';
import { createReportFacts } from '../cloud/reports/recording.js';
import { ReportService } from '../cloud/reports/service.js';
import { openSqliteDb } from '../cloud/registry/sqlite-db.js';
import { services } from './support/services.js';

const NOW = Date.UTC(2026, 10, 20, 3);
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function seedsAYearTwice(registry: Registry, facts: ReportFacts) {
  await seedDemoDistrict(registry);
  await registry.createUser(
    { username: 'nongdan-h', role: 'farmer', farmId: DEMO_FARMS[0].id, passwordHash: 'x' },
    'test',
    NOW - 400 * 86_400_000,
  );
  await registry.createUser(
    { username: 'canbo-h', role: 'officer', unitId: DEMO_UNITS[2].id, passwordHash: 'x' },
    'test',
    NOW - 400 * 86_400_000,
  );
  const t0 = Date.now();
  const first = await seedDemoHistory(registry, facts, { now: NOW });
  expect(Date.now() - t0).toBeLessThan(5000);
  const second = await seedDemoHistory(registry, facts, { now: NOW });
  expect(first.created).toBe(true);
  expect(second.created).toBe(false);
  expect(second.counts).toEqual(first.counts);
  expect(first.counts.states).toBeGreaterThan(20);
  expect(first.counts.runs).toBeGreaterThan(100);
  expect(first.counts.missions).toBeGreaterThan(5);
  expect(first.counts.activity).toBeGreaterThan(50);
  const configs = await registry.listConfigs(DEMO_FARMS[0].gatewayId, 100);
  expect(configs.length).toBe(new Set(configs.map((c) => c.version)).size);

  const to = monthOf(NOW);
  const report = await new ReportService(registry, facts, { clock: { now: () => NOW } }).adoption(
    { unit: 'vn-st-tde', from: addMonths(to, -11), to },
    { role: 'admin', communes: [] },
  );
  const district = report.rows.filter((r) => r.unitId === 'vn-st-tde');
  expect(district).toHaveLength(12);
  // adoption grows: two farms a year ago (the third joins five months later), three now
  expect(district[0]!.farmsRegistered).toBe(2);
  expect(district.at(-1)!.farmsRegistered).toBe(3);
  const year = district.reduce(
    (s, r) => ({ base: s.base + r.baselineM3, awd: s.awd + r.awdWaterM3, ha: s.ha + r.sprayedHa }),
    { base: 0, awd: 0, ha: 0 },
  );
  const saved = 1 - year.awd / year.base;
  expect(saved).toBeGreaterThan(0.15); // AWD saves 15–40 % (IRRI)
  expect(saved).toBeLessThan(0.4);
  expect(year.ha).toBeGreaterThan(10);
  for (const r of district.filter((x) => x.gatewayUptimePct !== null)) expect(r.gatewayUptimePct).toBeGreaterThan(85);
  expect(district.some((r) => r.activeUsers === 2)).toBe(true);
}

describe('demo history', () => {
  it('seeds a year on SQLite once, fast, and the report comes alive', async () => {
    const registry = createSqliteRegistry(':memory:');
    await registry.init();
    const facts = new ReportFacts(openSqliteDb(':memory:'));
    await facts.init();
    await seedsAYearTwice(registry, facts);
    await registry.close();
    await facts.close();
  });
});

const ok = await services.postgres();
describe.skipIf(!ok)('demo history on PostgreSQL', () => {
  it('seeds a year once with the report tables beside the registry in one schema', async () => {
    const schema = `rpt_test_${randomBytes(4).toString('hex')}`;
    const registry = createPgRegistry(PG_URL, { schema });
    const facts = createReportFacts({ DATABASE_URL: PG_URL, DATA_DIR: '/nonexistent' }, { pgSchema: schema });
    try {
      await registry.init();
      await facts.init();
      await facts.init(); // migrations apply once
      await seedsAYearTwice(registry, facts);
    } finally {
      await registry.close();
      await facts.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }, 30_000);
});
