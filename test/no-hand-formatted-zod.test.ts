import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Zod issues become text in one place, lib/zod-issues.ts (issueSummary / issueLines; zod's own
 * z.prettifyError for a terminal). A production file that joins an issue's path and message by
 * hand fails here. Mapping issues to codes with params (`{ path, code, params }`, for the web
 * app's translations) is not formatting and is not matched.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DIRS = ['bin', 'cli', 'cloud', 'edge', 'flows', 'lib', 'protocol', 'simulators', 'bench'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'public']);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const HOME = 'lib/zod-issues.ts';

/** Files that still format by hand, each with why; every entry must still offend (the list only shrinks). */
const ALLOWED: Record<string, string> = {};

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        // flows/nodes/lib holds the generated bundle of protocol/ and flows/nodes/src/
        if (!SKIP_DIRS.has(e.name) && path.relative(ROOT, p) !== path.join('flows', 'nodes', 'lib')) walk(p);
      } else if (SOURCE.test(e.name) && !TEST_FILE.test(e.name) && !e.name.endsWith('.d.ts')) {
        out.push(path.relative(ROOT, p).split(path.sep).join('/'));
      }
    }
  };
  for (const d of DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}

// one template that interpolates an issue's path and then its message: `${i.path.join('.')}: ${i.message}`
const PATH_THEN_MESSAGE = /\$\{[^{}`]*\.path\b[^{}`]*\}[^`]{0,40}?\$\{[^{}`]*\.message\b[^{}`]*\}/g;
// a walk over `.issues` that reads `.path` and puts a `.message` into a template soon after
const ISSUES_WALK = /\.issues\b[^]{0,400}/g;
const MESSAGE_IN_TEMPLATE = /\$\{[^{}`]*\.message\b/;

/** The places in a source text that turn zod issues into text by hand. */
export function handFormatted(text: string): string[] {
  if (!/\bissues\b/.test(text)) return [];
  const flat = text.replace(/\s+/g, ' ');
  const hits = [...flat.matchAll(PATH_THEN_MESSAGE)].map((m) => m[0]);
  for (const m of flat.matchAll(ISSUES_WALK)) {
    if (/\.path\b/.test(m[0]) && MESSAGE_IN_TEMPLATE.test(m[0])) hits.push(m[0].slice(0, 120));
  }
  return hits;
}

describe('zod issues become text only in lib/zod-issues.ts', () => {
  it('recognises the hand-written shapes this codebase had, and not issueSummary or a mapping to codes', () => {
    const formatted = [
      "const why = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');",
      "return err.issues\n  .slice(0, 5)\n  .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)\n  .join('; ');",
      "const i = parsed.error.issues[0];\nthrow new E('X', `device ${id}: ${i?.path.join('.')}: ${i?.message}`);",
      "const i = r.error.issues[0]!;\nthrow new E('X', `not a plan: ${i.path.join('.')} ${i.message}`);",
      'const why = parsed.error.issues.map((issue) => {\n  const key = String(issue.path[0]);\n  return `${key}=${params.get(key)}: ${issue.message}`;\n});',
      "message: issues.map((i) => `${i.path}: ${String(i.params?.message)}`).join('; '),",
    ];
    for (const src of formatted) expect(handFormatted(src), src).not.toEqual([]);
    const fine = [
      'throw new E(\'X\', `not a plan: ${issueSummary(r.error)}`, { context: { params: { path: r.error.issues[0]!.path.join(".") } } });',
      "parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, params: { message: i.message } }))",
      'const reasons = issueLines(parsed.error, Infinity);',
      'log.warn({ path: file }, `cannot read ${file.path}: ${err.message}`);',
    ];
    for (const src of fine) expect(handFormatted(src), src).toEqual([]);
  });

  it('holds for every production file', () => {
    const offenders: Record<string, string[]> = {};
    for (const rel of sourceFiles()) {
      if (rel === HOME) continue;
      const hits = handFormatted(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
      if (hits.length) offenders[rel] = hits;
    }
    const unexpected = Object.fromEntries(Object.entries(offenders).filter(([f]) => !(f in ALLOWED)));
    expect(unexpected, 'format these with issueSummary/issueLines from lib/zod-issues.ts').toEqual({});
    const stale = Object.keys(ALLOWED).filter((f) => !(f in offenders));
    expect(stale, 'these no longer format by hand: remove them from ALLOWED').toEqual([]);
  });
});
