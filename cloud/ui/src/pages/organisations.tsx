import { useEffect, useState } from 'preact/hooks';
import type { Cooperative, Farm, Unit, UnitLevel as Level } from '../../../registry/registry.js';
import { api, type Me } from '../api.js';
import { fmtNumber, locale, t, type MsgKey } from '../i18n.js';
import { useSignal } from '../state.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectField, type SelectOption } from '../components/select-field.js';
import { InputField } from '../components/input-field.js';

interface Orgs {
  levels: Level[];
  units: Unit[];
  coops: Cooperative[];
  farms: Farm[];
}

/** units in tree order, each with its depth */
function tree(units: Unit[]): Array<Unit & { depth: number }> {
  const out: Array<Unit & { depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const u of units.filter((x) => x.parentId === parent).sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      out.push({ ...u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** A small form: text inputs and selects, posted as one JSON body; the API's issues in words. */
function AddForm({
  title,
  fields,
  onSubmit,
}: {
  title: MsgKey;
  fields: Array<{ k: string; label: MsgKey; options?: SelectOption[]; number?: boolean }>;
  onSubmit: (v: Record<string, string>) => Promise<void>;
}) {
  const [v, setV] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setOk(false);
    try {
      await onSubmit(v);
      setV({});
      setOk(true);
    } catch (err) {
      setError(err);
    }
  };
  const id = (k: string) => `org-${title}-${k}`;
  return (
    <form class="row" onSubmit={(e) => void submit(e)} noValidate aria-label={t(title)}>
      {fields.map((f) =>
        f.options ? (
          <SelectField
            key={f.k}
            id={id(f.k)}
            label={t(f.label)}
            options={f.options}
            blank={t('none')}
            value={v[f.k] ?? ''}
            onChange={(val) => setV({ ...v, [f.k]: val })}
          />
        ) : (
          <InputField
            key={f.k}
            id={id(f.k)}
            label={t(f.label)}
            inputMode={f.number ? 'decimal' : 'text'}
            value={v[f.k] ?? ''}
            onValue={(val) => setV({ ...v, [f.k]: val })}
          />
        ),
      )}
      <button type="submit" class="primary">
        {t(title)}
      </button>
      {ok && (
        <span role="status" class="pill on">
          {t('savedOk')}
        </span>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

/** Admin: the administrative tree, cooperatives and farms (the onboarding API), each addable. */
export function OrganisationsPage({ user }: { user: Me }) {
  const lang = useSignal(locale);
  const [o, setO] = useState<Orgs | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    Promise.all([
      api<{ levels: Level[]; units: Unit[] }>('GET', '/api/v1/units'),
      api<{ cooperatives: Cooperative[] }>('GET', '/api/v1/cooperatives'),
      api<{ farms: Farm[] }>('GET', '/api/v1/farms'),
    ]).then(([u, c, f]) => setO({ levels: u.levels, units: u.units, coops: c.cooperatives, farms: f.farms }), setError);
  useEffect(() => {
    void load();
  }, [user.id]);
  if (!o)
    return (
      <section class="card">
        <h1>{t('organisations')}</h1>
        {error ? <ErrorBox error={error} /> : <p>{t('loading')}</p>}
      </section>
    );
  const levelName = (l: string) => {
    const x = o.levels.find((y) => y.level === l);
    return x ? (lang === 'en' ? x.nameEn : x.nameVi) : l;
  };
  const unitName = (id: string | null) => o.units.find((u) => u.id === id)?.name ?? '—';
  const unitOpts = tree(o.units).map((u) => ({ id: u.id, name: `${'· '.repeat(u.depth)}${u.name}` }));
  const post = (url: string, body: unknown) => api('POST', url, body).then(load);
  return (
    <section class="card" data-testid="orgs">
      <h1>{t('organisations')}</h1>
      <h2>{t('orgUnits')}</h2>
      <ul class="plain">
        {tree(o.units).map((u) => (
          <li key={u.id} style={{ paddingLeft: `${u.depth * 1.2}rem` }}>
            {levelName(u.level)} {u.name} <code>{u.id}</code>
          </li>
        ))}
      </ul>
      <AddForm
        title="addUnit"
        fields={[
          { k: 'id', label: 'idLabel' },
          { k: 'name', label: 'name' },
          {
            k: 'level',
            label: 'levelLabel',
            options: o.levels.map((l) => ({ id: l.level, name: lang === 'en' ? l.nameEn : l.nameVi })),
          },
          { k: 'parentId', label: 'parentUnit', options: unitOpts },
        ]}
        onSubmit={(v) =>
          post('/api/v1/units', {
            id: v.id ?? '',
            name: v.name ?? '',
            level: v.level ?? '',
            parentId: orNull(v.parentId),
          })
        }
      />
      <h2>{t('orgCooperatives')}</h2>
      <ul class="plain">
        {o.coops.map((c) => (
          <li key={c.id}>
            {c.name} · {unitName(c.unitId)} <code>{c.id}</code>
          </li>
        ))}
      </ul>
      <AddForm
        title="addCooperative"
        fields={[
          { k: 'id', label: 'idLabel' },
          { k: 'name', label: 'name' },
          { k: 'unitId', label: 'unitLabel', options: unitOpts },
        ]}
        onSubmit={(v) => post('/api/v1/cooperatives', { id: v.id ?? '', name: v.name ?? '', unitId: orNull(v.unitId) })}
      />
      <h2>{t('orgFarms')}</h2>
      <ul class="plain">
        {o.farms.map((f) => (
          <li key={f.id}>
            {f.name}
            {f.owner && <> · {f.owner}</>} · {unitName(f.unitId)}
            {f.areaHa !== null && <> · {fmtNumber(f.areaHa, 2)} ha</>} <code>{f.id}</code>
          </li>
        ))}
      </ul>
      <AddForm
        title="addFarm"
        fields={[
          { k: 'id', label: 'idLabel' },
          { k: 'name', label: 'name' },
          { k: 'owner', label: 'owner' },
          { k: 'unitId', label: 'unitLabel', options: unitOpts },
          { k: 'cooperativeId', label: 'orgCooperatives', options: o.coops },
          { k: 'areaHa', label: 'areaHaLabel', number: true },
        ]}
        onSubmit={(v) =>
          post('/api/v1/farms', {
            id: v.id ?? '',
            name: v.name ?? '',
            owner: orNull(v.owner),
            unitId: v.unitId ?? '',
            cooperativeId: orNull(v.cooperativeId),
            areaHa: v.areaHa ? Number(v.areaHa.replace(',', '.')) : null,
          })
        }
      />
    </section>
  );
}
