import { useState } from 'preact/hooks';
import { api, ApiError, me, type Me } from '../api.js';
import { locale, setLocale, t } from '../i18n.js';
import { useSignal } from '../state.js';
import { setStart, type StartData } from '../start.js';

export function Login() {
  const loc = useSignal(locale);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api<{ user: Me; start?: StartData | null }>('POST', '/api/v1/auth/login', { login, password });
      setStart(r.start);
      me.value = r.user;
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t('tooMany')
          : err instanceof ApiError && err.status === 0
            ? t('err_network')
            : t('loginFailed'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>{t('appName')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="login">{t('loginLabel')}</label>
        <input
          id="login"
          name="login"
          autocomplete="username"
          inputMode="text"
          required
          value={login}
          onInput={(e) => setLogin((e.target as HTMLInputElement).value)}
        />
        <label for="password">{t('password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('login')}
        </button>
      </form>
      <p>
        <label for="lang-login">{t('language')} </label>
        <select
          id="lang-login"
          value={loc === 'en' ? 'en' : 'vi'}
          onChange={(e) => setLocale((e.target as HTMLSelectElement).value as 'vi' | 'en')}
        >
          <option value="vi">Tiếng Việt</option>
          <option value="en">English</option>
        </select>
      </p>
    </main>
  );
}
