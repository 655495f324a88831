import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Production code never reaches test or demo code: nothing in edge/, cloud/, protocol/ or lib/
 * (test files aside) imports simulators/, test/, bench/, vitest or a `testing` entry point. Found from the import
 * specifiers of every source file (static, dynamic, re-exports), resolved against the repository.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const PRODUCTION = ['edge', 'cloud', 'protocol', 'lib'];
const FORBIDDEN_DIRS = ['simulators', 'test', 'bench'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_FILE = /\.(test|spec)\.(ts|tsx|js|mjs)$/;
// `testing/` folders and `testing.ts` files are test entry points beside the code: they may use
// test tools, and production may not import them (checked below)
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'public', 'testing']);
const TESTING = /^testing\.[jt]s$/;

/**
 * Files being moved out of production folders by their owners. Each entry must still offend
 * (the list only shrinks); a new offender fails the test.
 */
const BEING_MOVED: string[] = [];

export function productionFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (SOURCE.test(e.name) && !TEST_FILE.test(e.name) && !TESTING.test(e.name) && !e.name.endsWith('.d.ts')) {
        out.push(path.relative(root, p));
      }
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return out.sort();
}

/** What a file at `rel` imports that production may not: `vitest`, or a path into a test/demo folder. */
export function forbiddenImports(rel: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => {
      if (spec === 'vitest' || spec.startsWith('vitest/') || spec.startsWith('@vitest/')) return true;
      if (!spec.startsWith('.')) return false;
      const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(rel), spec));
      const top = target.split(path.sep)[0]!;
      // a `testing.ts` or `testing/` beside the code is a test entry point: tests only
      const testing = /(^|\/)testing(\.[jt]s|\/)/.test(target.split(path.sep).join('/'));
      return FORBIDDEN_DIRS.includes(top) || testing || TEST_FILE.test(target.replace(/\.js$/, '.ts'));
    });
}

describe('the shape of the codebase', () => {
  const offenders = new Map<string, string[]>();
  for (const rel of productionFiles(ROOT, PRODUCTION)) {
    const bad = forbiddenImports(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'));
    if (bad.length) offenders.set(rel, bad);
  }

  it('keeps edge, cloud, protocol and lib free of imports of simulators, test, bench and vitest', () => {
    const unexpected = [...offenders]
      .filter(([f]) => !BEING_MOVED.includes(f))
      .map(([f, specs]) => `${f} → ${specs.join(', ')}`);
    expect(unexpected).toEqual([]);
  });

  it('lists as being moved only files that still offend', () => {
    expect(BEING_MOVED.filter((f) => !offenders.has(f))).toEqual([]);
  });

  it('sees static, dynamic and re-exported imports, and only those that leave production', () => {
    const src = [
      "import { it } from 'vitest';",
      "export { paddy } from '../simulators/paddy-site.js';",
      "const t = await import('../test/support/influx.js');",
      "import { topics } from '../protocol/index.js';",
      "import { x } from './helper.test.js';",
      "import { paddyConfig } from './control/testing.js';",
      "import mqtt from 'mqtt';",
    ].join('\n');
    expect(forbiddenImports('cloud/some-file.ts', src)).toEqual([
      'vitest',
      '../simulators/paddy-site.js',
      '../test/support/influx.js',
      './helper.test.js',
      './control/testing.js',
    ]);
    expect(productionFiles(ROOT, ['protocol']).length).toBeGreaterThan(3);
    expect(productionFiles(ROOT, ['cloud'])).not.toContain('cloud/db/database.test.ts');
    expect(productionFiles(ROOT, ['edge'])).not.toContain('edge/control/testing.ts');
  });
});

/**
 * The cloud's features are wired in one place: a feature plugin (`authPlugin`, `controlPlugin`, …,
 * exported by a `cloud/<feature>/plugin.ts`) is imported by cloud/app.ts alone, so no feature
 * registers another and server.ts only starts and stops what the features run on.
 */
export function featurePluginImports(rel: string, text: string): string[] {
  const src = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of src.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), s.moduleSpecifier.text));
    if (!/^cloud\/[^/]+\/plugin\.js$/.test(target)) continue;
    const named = s.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    for (const e of named.elements) {
      const name = (e.propertyName ?? e.name).text;
      if (!e.isTypeOnly && /Plugin$/.test(name)) out.push(`${name} from ${target}`);
    }
  }
  return out;
}

describe('the cloud wiring', () => {
  it('registers the feature plugins in cloud/app.ts only', () => {
    const elsewhere = productionFiles(ROOT, ['cloud'])
      .filter((rel) => rel !== path.join('cloud', 'app.ts'))
      .flatMap((rel) =>
        featurePluginImports(rel.split(path.sep).join('/'), fs.readFileSync(path.join(ROOT, rel), 'utf8')).map(
          (i) => `${rel}: ${i}`,
        ),
      );
    expect(elsewhere).toEqual([]);
  });

  it('sees a feature plugin imported by another feature, and not a helper beside it', () => {
    const src = [
      "import { controlPlugin, farmerStart } from '../control/plugin.js';",
      "import { type AuthPluginOptions } from './plugin.js';",
      "import { sessionPlugin } from './session.js';",
    ].join('\n');
    expect(featurePluginImports('cloud/missions/plugin.ts', src)).toEqual([
      'controlPlugin from cloud/control/plugin.js',
    ]);
    expect(featurePluginImports('cloud/app.ts', "import { uiPlugin } from './ui/plugin.js';")).toEqual([
      'uiPlugin from cloud/ui/plugin.js',
    ]);
  });
});

/**
 * Production code queries the database through typed Kysely queries (cloud/db/tables.ts): no SQL
 * string handed to `sql.raw`, `CompiledQuery.raw` or a raw `query`/`run`. The
 * allow-list names each file that must keep one, and why; it only shrinks.
 */
const RAW_SQL_ALLOWED: Record<string, string> = {
  'cloud/db/migration.ts': 'migrations are SQL text per dialect, run statement by statement',
  'cloud/db/dialects.ts': 'BEGIN IMMEDIATE on SQLite, CREATE SCHEMA on a new pool, GREATEST vs max by dialect',
};

export function rawSqlCalls(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [
    ...code.matchAll(/\b(?:sql|CompiledQuery)\.raw\(/g),
    ...code.matchAll(/\.(?:query|run)(?:<[^>()]*>)?\(\s*['"`]/g),
  ];
  return found.map((m) => m[0]);
}

describe('the database layer', () => {
  it('lets production code send no hand-written SQL string, outside the allow-list', () => {
    const unexpected = productionFiles(ROOT, ['cloud', 'edge', 'protocol', 'lib'])
      .map((rel) => rel.split(path.sep).join('/'))
      .filter((rel) => !(rel in RAW_SQL_ALLOWED))
      .flatMap((rel) => rawSqlCalls(fs.readFileSync(path.join(ROOT, rel), 'utf8')).map((c) => `${rel}: ${c}`));
    expect(unexpected).toEqual([]);
  });

  it('allows only files that still call a raw SQL API', () => {
    const stale = Object.keys(RAW_SQL_ALLOWED).filter(
      (rel) => !rawSqlCalls(fs.readFileSync(path.join(ROOT, rel), 'utf8')).length,
    );
    expect(stale).toEqual([]);
  });

  it('sees sql.raw, CompiledQuery.raw and a string to query/run, not a typed query or a comment', () => {
    const src = [
      'await sql.raw(text).execute(db);',
      "await db.executeQuery(CompiledQuery.raw('SELECT 1'));",
      "const rows = await this.db.query<Row>('SELECT * FROM msn_fields WHERE id = ?', [id]);",
      'const n = await db.run(`DELETE FROM t`);',
      '// db.query("SELECT 1") in a comment',
      "await db.kysely.selectFrom('msn_fields').selectAll().execute();",
      'const series = await this.inner.query(q);',
      'stmt.run(p.gatewayId, p.ts);',
    ].join('\n');
    expect(rawSqlCalls(src)).toEqual(['sql.raw(', 'CompiledQuery.raw(', ".query<Row>('", '.run(`']);
  });
});

/**
 * The folders directly under cloud/ form no import cycle: the graph of which folder's production
 * code imports which (cloud/auth → cloud/http, cloud/routes → cloud/auth, …) has a direction, so
 * a feature's routes sit in the feature's folder and the helpers every feature shares in a lower
 * one (cloud/http). Files directly in cloud/ (app.ts, server.ts, config.ts, …) are the top and may
 * import anything; an import of one of them is not an edge. Tests are not counted.
 */
export function cloudFolderEdges(files: { rel: string; text: string }[]): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>(); // from → to → one import that makes the edge
  for (const { rel, text } of files) {
    const [root, from, ...rest] = rel.split('/');
    if (root !== 'cloud' || !rest.length) continue; // a file directly in cloud/: the top
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!spec.startsWith('.')) continue;
      const [troot, to, ...trest] = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)).split('/');
      if (troot !== 'cloud' || !trest.length || to === from) continue;
      const out = edges.get(from!) ?? new Map<string, string>();
      if (!out.has(to!)) out.set(to!, `${rel} → ${spec}`);
      edges.set(from!, out);
    }
  }
  return edges;
}

/** Each cycle of the folder graph (one per strongly connected set, shortest from its first folder), as lines to print. */
export function folderCycles(edges: Map<string, Map<string, string>>): string[] {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
  const reach = (a: string, b: string) => {
    // breadth-first path a → … → b, or null
    const prev = new Map<string, string>([[a, '']]);
    const queue = [a];
    while (queue.length) {
      const n = queue.shift()!;
      for (const m of [...(edges.get(n)?.keys() ?? [])].sort()) {
        if (m === b) {
          const p = [n];
          for (let x = n; x !== a; x = prev.get(x)!) p.unshift(prev.get(x)!);
          return [...p, b];
        }
        if (prev.has(m)) continue;
        prev.set(m, n);
        queue.push(m);
      }
    }
    return null;
  };
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of nodes) {
    if (seen.has(n)) continue;
    const loop = reach(n, n);
    if (!loop) continue;
    const inSet = nodes.filter((m) => m === n || (reach(n, m) && reach(m, n)));
    for (const m of inSet) seen.add(m);
    const via = loop.slice(0, -1).map((a, i) => `    ${a} → ${loop[i + 1]}: ${edges.get(a)!.get(loop[i + 1]!)}`);
    out.push([`cloud/{${inSet.join(', ')}}: ${loop.join(' → ')}`, ...via].join('\n'));
  }
  return out;
}

/**
 * Files whose imports out of their folder still close a folder cycle, left out of the graph
 * until they move; each must still close one (the list only shrinks), and a new cycle fails.
 */
const FOLDER_CYCLE_ALLOWED: Record<string, string> = {
  'cloud/db/features.ts': "db/ lists every feature's migrations (db → control, missions, registry, reports)",
};

describe('the cloud folders', () => {
  const files = productionFiles(ROOT, ['cloud']).map((rel) => ({
    rel: rel.split(path.sep).join('/'),
    text: fs.readFileSync(path.join(ROOT, rel), 'utf8'),
  }));

  it('import one another without a cycle, outside the allow-list', () => {
    const edges = cloudFolderEdges(files.filter((f) => !(f.rel in FOLDER_CYCLE_ALLOWED)));
    expect(edges.get('routes')?.has('auth')).toBe(true); // the graph is built from real imports
    expect(folderCycles(edges)).toEqual([]);
  });

  it('allows only files whose imports still close a folder cycle', () => {
    const stale = Object.keys(FOLDER_CYCLE_ALLOWED).filter(
      (allowed) =>
        !folderCycles(cloudFolderEdges(files.filter((f) => f.rel === allowed || !(f.rel in FOLDER_CYCLE_ALLOWED))))
          .length,
    );
    expect(stale).toEqual([]);
  });

  it('sees a folder cycle with no file cycle, and not an import of the top or inside a folder', () => {
    const files = [
      // the layout before each feature's routes moved beside it: auth/ ↔ routes/, missions/ ↔ routes/
      { rel: 'cloud/auth/plugin.ts', text: "import { authRoutes } from '../routes/auth/index.js';" },
      { rel: 'cloud/routes/auth/index.ts', text: "import { currentUser } from '../../auth/index.js';" },
      { rel: 'cloud/missions/plugin.ts', text: "export { missionRoutes } from '../routes/missions/index.js';" },
      { rel: 'cloud/routes/missions/index.ts', text: "const s = await import('../../missions/store.js');" },
      {
        rel: 'cloud/routes/units/index.ts',
        text: "import { x } from '../../http/errors.js';\nimport '../../config.js';",
      },
      {
        rel: 'cloud/http/errors.ts',
        text: "import { y } from './paging.js';\nimport { AppConfig } from '../config.js';",
      },
      { rel: 'cloud/app.ts', text: "import { authPlugin } from './auth/plugin.js';" },
    ];
    expect(folderCycles(cloudFolderEdges(files))).toEqual([
      [
        'cloud/{auth, missions, routes}: auth → routes → auth',
        '    auth → routes: cloud/auth/plugin.ts → ../routes/auth/index.js',
        '    routes → auth: cloud/routes/auth/index.ts → ../../auth/index.js',
      ].join('\n'),
    ]);
    expect(folderCycles(cloudFolderEdges(files.slice(4)))).toEqual([]);
  });
});
