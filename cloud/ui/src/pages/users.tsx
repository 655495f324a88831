import { useEffect, useState } from 'preact/hooks';
import { api, type Me, type Role } from '../api.js';
import { t, type MsgKey } from '../i18n.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectField } from '../components/select-field.js';
import { InputField } from '../components/input-field.js';

interface User {
  id: string;
  username: string;
  phone?: string;
  name: string;
  role: Role;
  farmIds: string[];
  cooperativeId?: string;
  communes: string[];
  demo: boolean;
  active?: boolean;
}
const ROLES: Role[] = ['farmer', 'technician', 'officer', 'admin'];

function CreateUser({ onCreated }: { onCreated: (u: User) => void }) {
  const [f, setF] = useState({ username: '', name: '', phone: '', role: 'farmer' as Role, password: '', scope: '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const ids = f.scope
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const scope =
      f.role === 'farmer'
        ? { farmIds: ids }
        : f.role === 'officer'
          ? { communes: ids }
          : f.role === 'technician' && ids[0]
            ? { cooperativeId: ids[0] }
            : {};
    try {
      onCreated(
        await api<User>('POST', '/api/v1/users', {
          username: f.username,
          name: f.name,
          role: f.role,
          password: f.password,
          ...(f.phone ? { phone: f.phone } : {}),
          ...scope,
        }),
      );
      setF({ ...f, username: '', name: '', phone: '', password: '', scope: '' });
    } catch (err) {
      setError(err);
    }
  };
  const input = (k: keyof typeof f, label: MsgKey, type: 'text' | 'tel' | 'password' = 'text') => (
    <InputField
      id={`nu-${k}`}
      label={t(label)}
      type={type}
      {...(type === 'password' ? { autocomplete: 'new-password' } : {})}
      value={f[k]}
      onValue={(v) => setF({ ...f, [k]: v })}
    />
  );
  return (
    <form onSubmit={(e) => void submit(e)} class="row" aria-labelledby="nu-h">
      <h2 id="nu-h">{t('createUser')}</h2>
      {input('username', 'loginLabel')}
      {input('name', 'name')}
      {input('phone', 'phone', 'tel')}
      <SelectField
        id="nu-role"
        label={t('role')}
        options={ROLES.map((r) => ({ id: r, name: t(`role_${r}` as MsgKey) }))}
        value={f.role}
        onChange={(r) => setF({ ...f, role: r as Role })}
      />
      {input('scope', f.role === 'officer' ? 'communes' : f.role === 'technician' ? 'organisations' : 'farms')}
      {input('password', 'password', 'password')}
      <button type="submit" class="primary">
        {t('createUser')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** Admin: every user with role and scopes, add one, deactivate / reactivate (PATCH active). */
export function UsersPage({ user }: { user: Me }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ users: User[] }>('GET', '/api/v1/users').then((r) => setUsers(r.users), setError);
  }, [user.id]);
  const toggle = async (u: User) => {
    setError(null);
    try {
      const next = await api<User>('PATCH', `/api/v1/users/${encodeURIComponent(u.id)}`, {
        active: u.active === false,
      });
      setUsers((old) =>
        (old ?? []).map((x) => (x.id === u.id ? { ...x, ...next, active: next.active ?? u.active === false } : x)),
      );
    } catch (err) {
      setError(err);
    }
  };
  if (!users)
    return (
      <section class="card">
        <h1>{t('users')}</h1>
        {error ? <ErrorBox error={error} /> : <p>{t('loading')}</p>}
      </section>
    );
  return (
    <section class="card">
      <h1>{t('users')}</h1>
      <ErrorBox error={error} />
      <ul class="plain users" data-testid="users">
        {users.map((u) => (
          <li key={u.id} class="audit-row">
            <strong>{u.name}</strong> · {u.username}
            {u.phone && <> · {u.phone}</>}
            <div>
              {t(`role_${u.role}` as MsgKey)} · {u.active === false ? t('inactive') : t('active')}
              {(u.farmIds.length > 0 || u.communes.length > 0 || u.cooperativeId) && (
                <> · {[...u.farmIds, ...u.communes, ...(u.cooperativeId ? [u.cooperativeId] : [])].join(', ')}</>
              )}
            </div>
            {user.role === 'admin' && u.id !== user.id && (
              <button type="button" onClick={() => void toggle(u)}>
                {u.active === false ? t('active') : t('inactive')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {user.role === 'admin' && <CreateUser onCreated={(u) => setUsers((old) => [...(old ?? []), u])} />}
    </section>
  );
}
