import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { Tables } from './tables.js';

/** The typed handle, in a transaction or not (a Transaction is a Kysely). */
export type Q = Kysely<Tables>;

/** fn in one transaction; inside one already (Registry.atomically), fn joins it. */
export function transact<T>(q: Q, fn: (trx: Q) => Promise<T>): Promise<T> {
  return q.isTransaction ? fn(q) : q.transaction().execute(fn);
}

/** rows a prepared insert, update or delete changed */
export const affected = (r: QueryResult<unknown>): number => Number(r.numAffectedRows ?? 0);

const MARK = '\u0000arg:';

/**
 * A typed query compiled once and run many times with new arguments: building and compiling a
 * Kysely query costs more than running it on SQLite, so the hot paths (one message after another
 * from every gateway) compile theirs once per dialect. `build` gets one marker per argument name
 * (typed `never`, so it fits any value slot); the compiled parameters are mapped back to the names.
 */
export function prepared<A extends string, R>(
  names: readonly A[],
  build: (db: Q, arg: Record<A, never>) => Compilable<R>,
): (db: Q, args: Record<A, unknown>) => Promise<QueryResult<R>> {
  // one compilation per dialect (SQLite and PostgreSQL place and number parameters differently)
  const byAdapter = new Map<unknown, { compiled: CompiledQuery<R>; slots: A[] }>();
  const markers = Object.fromEntries(names.map((n) => [n, `${MARK}${n}`])) as unknown as Record<A, never>;
  return async (db, args) => {
    const adapter = db.getExecutor().adapter.constructor;
    let c = byAdapter.get(adapter);
    if (!c) {
      const compiled = build(db, markers).compile();
      const slots = compiled.parameters.map((p) => {
        if (typeof p !== 'string' || !p.startsWith(MARK))
          throw new TypeError(`prepared query: a literal parameter in ${compiled.sql}`);
        return p.slice(MARK.length) as A;
      });
      c = { compiled, slots };
      byAdapter.set(adapter, c);
    }
    const parameters = c.slots.map((s) => args[s]);
    return db.executeQuery<R>({ ...c.compiled, parameters });
  };
}
