import { describe, expect, it } from 'vitest';
import { scanProduction } from './support/source-guard.js';

/**
 * Zod issues become text in one place, lib/zod-issues.ts (issueSummary / issueLines; zod's own
 * z.prettifyError for a terminal). A production file that joins an issue's path and message by
 * hand fails here. Mapping issues to codes with params (`{ path, code, params }`, for the web
 * app's translations) is not formatting and is not matched.
 */
const HOME = 'lib/zod-issues.ts';

/** Files that still format by hand, each with why; every entry must still offend (the list only shrinks). */
const ALLOWED: Record<string, string> = {};

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
    const { unexpected, stale } = scanProduction(handFormatted, { home: HOME, allowed: ALLOWED });
    expect(unexpected, 'format these with issueSummary/issueLines from lib/zod-issues.ts').toEqual({});
    expect(stale, 'these no longer format by hand: remove them from ALLOWED').toEqual([]);
  });
});
