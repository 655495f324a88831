import { useEffect, useState } from 'preact/hooks';
import { api, type Me } from '../api.js';
import { fmtDateTime, t } from '../i18n.js';

interface Entry { id?: number; ts: number; actor: string; action: string; target: string; old?: unknown; new?: unknown }

const short = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v).slice(0, 300));

export function AuditPage({ user }: { user: Me }) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { api<{ entries: Entry[] }>('GET', '/api/v1/audit?limit=100').then((r) => setEntries(r.entries), (e: Error) => setError(e.message)); }, [user.id]);
  if (error) return <p class="error" role="alert">{t('error', { m: error })}</p>;
  if (!entries) return <p>{t('loading')}</p>;
  return (
    <section class="card">
      <h1>{t('audit')}</h1>
      <div class="scroll">
        <table>
          <thead><tr><th>{t('when')}</th><th>{t('who')}</th><th>{t('what')}</th><th>{t('change')}</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}><td>{fmtDateTime(e.ts)}</td><td>{e.actor}</td><td>{e.action} {e.target}</td><td><code>{short(e.old)}</code> → <code>{short(e.new)}</code></td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
