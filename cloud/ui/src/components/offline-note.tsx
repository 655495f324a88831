import { fmtAge, fmtDateTime, t } from '../i18n.js';

/** Shown over values kept in the browser: how old they are and what cannot be done offline. */
export function OfflineNote({ at }: { at: number }) {
  return (
    <p class="status wait" role="status" data-testid="offline-note">
      {t('offlineShowing', { t: fmtDateTime(at) })} <strong>{t('valueAge', { age: fmtAge(at) })}</strong>
    </p>
  );
}
