import { errorLines } from '../codes.js';

/** A failed request in the reader's language: the sentence, then each issue on its own line. */
export function ErrorBox({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const [head, ...rest] = errorLines(error);
  return (
    <div class="error" role="alert" data-testid={testId}>
      {head}
      {rest.length > 0 && (
        <ul>
          {rest.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
