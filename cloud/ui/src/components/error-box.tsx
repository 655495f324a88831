import { errorIssues, errorText, issueText } from '../codes.js';
import { IssueList } from './issue-list.js';

/** A failed request in the reader's language: the sentence, then each issue on its own line. */
export function ErrorBox({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  return (
    <div class="error" role="alert" data-testid={testId}>
      {errorText(error)}
      <IssueList issues={errorIssues(error)} text={issueText} />
    </div>
  );
}
