import { runStatements, type FeatureMigration } from '../db/migration.js';

/**
 * Units, cooperatives and farms can be deactivated (kept for history and reports, audited):
 * 1 = active, 0 = deactivated. Existing rows stay active.
 */
export const ACTIVE_FLAGS: FeatureMigration = {
  version: 3,
  name: 'units_cooperatives_farms_active',
  up: (db, dialect) =>
    runStatements(
      db,
      dialect,
      `
ALTER TABLE reg_units ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reg_cooperatives ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reg_farms ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
`,
    ),
};
