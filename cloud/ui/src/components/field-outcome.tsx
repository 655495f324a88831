import { fmtNumber, t } from '../i18n.js';
import { errorIssues, errorText, issueText } from '../codes.js';
import { IssueList } from './issue-list.js';
import type { UploadedField } from './field-upload.js';

/**
 * What became of a field sent to POST /api/v1/fields: refused, with every issue the server found
 * (or, where it listed none, why), or added, with its name and area. `refusal` stands instead of
 * the "field refused" sentence for a refusal the form made itself before sending.
 */
export function FieldOutcome({
  testId,
  error,
  refusal,
  created,
}: {
  testId: string;
  error: unknown;
  refusal?: string | undefined;
  created: UploadedField | null;
}) {
  const issues = errorIssues(error);
  return (
    <>
      {!!error && (
        <div class="status bad" role="alert" data-testid={`${testId}-errors`}>
          <p>
            {refusal ?? (
              <>
                {t('fieldRejected')} {issues.length === 0 && errorText(error)}
              </>
            )}
          </p>
          <IssueList issues={issues} text={issueText} />
        </div>
      )}
      {created && (
        <p class="status ok" role="status" data-testid={`${testId}-created`}>
          {t('fieldAdded', {
            name: created.name,
            area: created.areaHa === undefined ? '—' : fmtNumber(created.areaHa, 2),
          })}
        </p>
      )}
    </>
  );
}
