import type { z } from 'zod';

/** What these helpers read of an issue: zod's own, or one of the same shape. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface IssueOptions<I extends IssueLike = IssueLike> {
  /** at most this many issues, then `and N more`; default 5 (Infinity: every one) */
  max?: number;
  /** what an empty path is called; default '(root)' */
  root?: string;
  /**
   * names where an issue is instead of its dotted path (`PORT="eighty"`, `--tcp`); '' for the
   * message alone
   */
  where?: (issue: I, path: string) => string;
  /** cuts each issue's text at this many characters (a wire format's limit) */
  maxLength?: number;
}

type Issues<I extends IssueLike> = z.ZodError | { readonly issues: readonly I[] };

/**
 * One text per issue, `a.b: Invalid input: expected string, received number`, at most `max`
 * of them and then `and N more`: for lists a person reads (a gateway check, a config ack's
 * reasons).
 */
export function issueLines<I extends IssueLike = z.core.$ZodIssue>(
  error: Issues<I>,
  opts: number | IssueOptions<I> = {},
): string[] {
  const { max = 5, root = '(root)', where, maxLength = Infinity } = typeof opts === 'number' ? { max: opts } : opts;
  const issues = error.issues as readonly I[];
  const lines = issues.slice(0, max).map((i) => {
    const path = i.path.map(String).join('.');
    const name = where ? where(i, path) : path || root;
    return (name ? `${name}: ${i.message}` : i.message).slice(0, maxLength);
  });
  if (issues.length > max) lines.push(`and ${issues.length - max} more`);
  return lines;
}

/**
 * One line naming what is wrong with a value, for log lines and error messages (people read
 * translations of codes; this is for the ones who read logs): `a.b: Invalid input: expected
 * string, received number; n: Too small: expected number to be >=3`. Zod's own
 * z.prettifyError gives the same facts over several lines, for a terminal. At most `max` issues,
 * then how many more.
 */
export function issueSummary<I extends IssueLike = z.core.$ZodIssue>(
  error: Issues<I>,
  opts: number | IssueOptions<I> = {},
  root?: string,
): string {
  const o = typeof opts === 'number' ? { max: opts } : opts;
  return issueLines(error, root === undefined ? o : { ...o, root }).join('; ');
}
