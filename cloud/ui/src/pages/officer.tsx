import { t } from '../i18n.js';

/** Placeholder: the reports work fills this with per-commune tables and charts. No controls here. */
export function OfficerPage() {
  return (
    <section class="card" data-testid="officer-page">
      <h1>{t('adoption')}</h1>
      <p>{t('adoptionSoon')}</p>
    </section>
  );
}
