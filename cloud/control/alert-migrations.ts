import type { FeatureMigration } from '../db/migration.js';

/**
 * The alert acknowledgements' numbered migrations (feature `alerts`, tables `alr_*`), run by the
 * one migrator of cloud/db. Alerts themselves are derived from live state and events; only a
 * person's "đã biết" is stored. Never edit a released migration: add the next one.
 */
export const ALERT_MIGRATIONS: FeatureMigration[] = [
  {
    version: 1,
    name: 'alert_acks',
    up: async (db) => {
      await db.schema
        .createTable('alr_acks')
        // the alert's id (`<gateway>:offline`, `<gateway>:level:<zone>` …) and when it began
        // ('' = no start time): the same alert coming back later is a new one to acknowledge
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('since_key', 'text', (c) => c.notNull())
        .addColumn('farm_id', 'text', (c) => c.notNull())
        .addColumn('acked_by', 'text', (c) => c.notNull())
        .addColumn('acked_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alr_acks_pk', ['alert_id', 'since_key'])
        .execute();
      await db.schema.createIndex('alr_acks_farm').on('alr_acks').columns(['farm_id', 'acked_at']).execute();
    },
  },
];
