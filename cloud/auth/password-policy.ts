import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/** Lengths of the two modes: the demo only keeps out the obvious. */
export const MIN_LENGTH = { demo: 8, production: 12 } as const;
/** zxcvbn score (0–4) a production password needs: 3 = "safely unguessable", ~10^8 guesses */
export const MIN_SCORE = 3;

export type PasswordRefusal =
  | { reason: 'too_short'; min: number }
  | { reason: 'contains_username' }
  | { reason: 'too_guessable'; score: number; warning: string };

let factory: ZxcvbnFactory | undefined;
// the dictionaries are large: loaded on the first check, not at import
const zxcvbn = () =>
  (factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

/**
 * Why a password is refused, or null when it is accepted. The reason is a code the web app words
 * (`too_short`, `contains_username`, `too_guessable` with zxcvbn's warning code such as `common`,
 * `simpleRepeat`, `similarToCommon`, `keyPattern`).
 */
export function checkPasswordPolicy(
  pw: string,
  o: { username: string; mode: 'demo' | 'production'; words?: string[] },
): PasswordRefusal | null {
  const min = MIN_LENGTH[o.mode];
  if ([...pw].length < min) return { reason: 'too_short', min };
  if (o.username && pw.toLowerCase().includes(o.username.toLowerCase())) return { reason: 'contains_username' };
  if (o.mode === 'production') {
    const r = zxcvbn().check(pw, [o.username, 'ruongso', 'ruộng số', 'demo', ...(o.words ?? [])]);
    if (r.score < MIN_SCORE) return { reason: 'too_guessable', score: r.score, warning: r.feedback.warning ?? 'weak' };
  }
  return null;
}
