import { useState } from 'preact/hooks';
import { api, me } from '../api.js';
import { t } from '../i18n.js';
import { errorLines } from '../codes.js';

export function AccountPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/api/v1/auth/password', { current, next });
      setMsg(t('passwordChanged'));
      setTimeout(() => {
        me.value = null;
      }, 1500);
    } catch (err) {
      setMsg(errorLines(err).join(' · '));
    }
  };
  return (
    <section class="card">
      <h1>{t('changePassword')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="cur">{t('currentPassword')}</label>
        <input
          id="cur"
          type="password"
          autocomplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent((e.target as HTMLInputElement).value)}
        />
        <label for="new">{t('newPassword')}</label>
        <input
          id="new"
          type="password"
          autocomplete="new-password"
          minLength={8}
          required
          value={next}
          onInput={(e) => setNext((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary">
          {t('changePassword')}
        </button>
        {msg && <p role="status">{msg}</p>}
      </form>
    </section>
  );
}
