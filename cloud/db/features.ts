import { ALERT_MIGRATIONS } from '../control/alert-migrations.js';
import { MISSION_MIGRATIONS } from '../missions/sql-migrations.js';
import { REGISTRY_MIGRATIONS } from '../registry/migrations.js';
import { REPORT_MIGRATIONS } from '../reports/migrations.js';
import type { FeatureMigrations } from './migration.js';

/** Every feature with tables in the database; a new feature adds its list here. */
export const FEATURES: FeatureMigrations[] = [
  { feature: 'registry', legacyTable: 'reg_migrations', migrations: REGISTRY_MIGRATIONS },
  { feature: 'missions', legacyTable: 'msn_migrations', migrations: MISSION_MIGRATIONS },
  { feature: 'reports', legacyTable: 'rpt_migrations', migrations: REPORT_MIGRATIONS },
  { feature: 'alerts', migrations: ALERT_MIGRATIONS },
];
