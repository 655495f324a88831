import type { z } from 'zod';

/**
 * One line naming what is wrong with a value, for log lines and error messages (people read
 * translations of codes; this is for the ones who read logs): `a.b: Invalid input: expected
 * string, received number; n: Too small: expected number to be >=3`. Zod's own
 * z.prettifyError gives the same facts over several lines, for a terminal. At most `max` issues,
 * then how many more.
 */
export function issueSummary(
  error: z.ZodError | { issues: readonly z.core.$ZodIssue[] },
  max = 5,
  root = '(root)',
): string {
  const issues = error.issues;
  const shown = issues.slice(0, max).map((i) => `${i.path.length ? i.path.map(String).join('.') : root}: ${i.message}`);
  if (issues.length > max) shown.push(`and ${issues.length - max} more`);
  return shown.join('; ');
}
