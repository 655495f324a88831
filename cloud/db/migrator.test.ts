import { describe, expect, it } from 'vitest';
import { isOtherSchemaGone } from './migrator.js';

const gone = (schema: string) => Object.assign(new Error(`schema "${schema}" does not exist`), { code: '3F000' });

describe('the migrator retries a setup that met another schema being dropped', () => {
  it('retries when another schema vanished during the table listing and nothing of ours failed', () => {
    expect(isOtherSchemaGone(gone('q_test_1'), 'db_test_2', [])).toBe(true);
    expect(isOtherSchemaGone(gone('q_test_1'), undefined, [])).toBe(true);
  });

  it('does not retry when our own schema is missing, a migration failed, or the error is another', () => {
    expect(isOtherSchemaGone(gone('db_test_2'), 'db_test_2', [])).toBe(false);
    expect(isOtherSchemaGone(gone('q_test_1'), 'db_test_2', [{ status: 'Error' }])).toBe(false);
    expect(isOtherSchemaGone(Object.assign(new Error('syntax error'), { code: '42601' }), 'db_test_2', [])).toBe(false);
    expect(isOtherSchemaGone('not an error', 'db_test_2', [])).toBe(false);
  });
});
