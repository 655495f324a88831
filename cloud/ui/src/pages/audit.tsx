import { useEffect, useState } from 'preact/hooks';
import { api, type Me } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';
import { ErrorBox } from '../components/error-box.js';
import { diffRows, whatText, type Entry, type Shown } from './audit-diff.js';
import { InputField } from '../components/input-field.js';

const V = ({ v, cls }: { v: Shown; cls: string }) =>
  v.code ? <code class={cls}>{v.text}</code> : <span class={cls}>{v.text}</span>;

const PAGE = 20;

/** Who changed what, when, before → after; filtered by person or action, a page at a time; one card per row at 360 px. */
export function AuditPage({ user }: { user: Me }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  useEffect(() => {
    api<{ entries: Entry[] }>('GET', '/api/v1/audit?limit=500').then((r) => setEntries(r.entries), setError);
  }, [user.id]);
  if (error) return <ErrorBox error={error} />;
  if (!entries) return <p>{t('loading')}</p>;
  const f = filter.trim().toLowerCase();
  const shown = f
    ? entries.filter((e) => {
        const w = whatText(e);
        return `${e.actor} ${w.text} ${w.id}`.toLowerCase().includes(f);
      })
    : entries;
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const p = Math.min(page, pages - 1);
  return (
    <section class="card">
      <h1>{t('audit')}</h1>
      <InputField
        id="audit-filter"
        label={t('auditFilter')}
        type="search"
        value={filter}
        onValue={(v) => {
          setFilter(v);
          setPage(0);
        }}
      />
      {shown.length === 0 && <p class="muted">{t('noEntries')}</p>}
      <ol class="audit plain" data-testid="audit-list">
        {shown.slice(p * PAGE, (p + 1) * PAGE).map((e, i) => (
          <li key={e.id ?? i} class="audit-row">
            <div>
              <time>{fmtDateTime(e.ts)}</time> · <strong>{e.actor}</strong> {whatText(e).text}{' '}
              <code>{whatText(e).id}</code>
            </div>
            <ul class="diff">
              {diffRows(e.old, e.new).map((d) => (
                <li key={d.key}>
                  {d.key && <code>{d.key}</code>} <V v={d.before} cls="before" /> → <V v={d.after} cls="after" />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <nav class="row" aria-label={t('pageOf', { n: p + 1 })}>
        <button type="button" disabled={p === 0} onClick={() => setPage(p - 1)}>
          {t('prevPage')}
        </button>
        <span>{t('pageOf', { n: `${p + 1} / ${pages}` })}</span>
        <button type="button" disabled={p >= pages - 1} onClick={() => setPage(p + 1)}>
          {t('nextPage')}
        </button>
      </nav>
    </section>
  );
}
