/**
 * What the server found wrong or warns of, one translated line per item (its code and params,
 * through `text`: `issueText` for validation issues, `warningText` for mission warnings and
 * weather findings); each line keeps its code in `data-code`.
 */
export function IssueList<I extends { code?: string | undefined } | string>({
  issues,
  text,
}: {
  issues: readonly I[];
  text: (i: I) => string;
}) {
  if (issues.length === 0) return null;
  return (
    <ul>
      {issues.map((i, n) => (
        <li key={n} data-code={typeof i === 'string' ? undefined : i.code}>
          {text(i)}
        </li>
      ))}
    </ul>
  );
}
