import { useState } from 'preact/hooks';
import { Zone } from '../../../../protocol/schemas/gateway-config.js';
import { t, type MsgKey } from '../i18n.js';
import { issueText } from '../codes.js';
import { checkNumber, type NumberRule } from '../validate.js';
import { SelectField } from './select-field.js';
import { IssueList } from './issue-list.js';
import { InputField } from './input-field.js';

const MODES = ['awd', 'threshold', 'schedule', 'off'] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

// the ranges of the gateway's Zone schema (protocol/schemas/gateway-config.ts), checked field
// by field first so each message names the box; the schema itself runs after as a backstop
const RULES: Record<string, NumberRule> = {
  refloodCm: { field: 'fld_refloodCm', min: -40, max: 0 },
  targetCm: { field: 'fld_targetCm', min: 0, max: 20 },
  refillPct: { field: 'fld_refillPct', min: 0, max: 100 },
  fieldCapacityPct: { field: 'fld_fieldCapacityPct', min: 0, max: 100 },
  salinityLimitPpt: { field: 'fld_salinityLimitPpt', min: 0, max: 40 },
  maxRunMinutes: { field: 'fld_maxRunMinutes', min: 1, max: 1440, integer: true },
};
const FIELDS_OF: Record<Zone['mode'], string[]> = {
  awd: ['refloodCm', 'targetCm'],
  threshold: ['refillPct', 'fieldCapacityPct'],
  schedule: [],
  off: [],
};

function parseWindows(s: string) {
  return s
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)
    .map((w) => {
      const [start = '', end = ''] = w.split('-');
      return { days: [], start: start.trim(), end: end.trim() };
    });
}

/** every problem of the form, in the reader's language; empty = send it */
function check(mode: Zone['mode'], f: Record<string, string>): { issues: string[]; n: Record<string, number> } {
  const issues: string[] = [];
  const n: Record<string, number> = {};
  for (const k of [...FIELDS_OF[mode], 'salinityLimitPpt', 'maxRunMinutes']) {
    const r = checkNumber(f[k] ?? '', RULES[k]!);
    if (r.error) issues.push(r.error);
    else n[k] = r.value!;
  }
  if (mode === 'awd' && n.refloodCm !== undefined && n.targetCm !== undefined && n.refloodCm >= n.targetCm)
    issues.push(t('refloodBelowTarget'));
  if (
    mode === 'threshold' &&
    n.refillPct !== undefined &&
    n.fieldCapacityPct !== undefined &&
    n.refillPct >= n.fieldCapacityPct
  )
    issues.push(t('refillBelowCapacity'));
  if (mode === 'schedule') {
    const ws = parseWindows(f.windows ?? '');
    if (ws.length === 0 || ws.some((w) => !HHMM.test(w.start) || !HHMM.test(w.end)))
      issues.push(t('badWindow', { field: t('fld_windows') }));
  }
  return { issues, n };
}

/**
 * The settings form of one zone: each value checked against the gateway's own limits (empty or
 * absurd values refused with a sentence), then the whole zone through the gateway's Zone schema.
 */
export function ZoneEditor({ zone, onSave, busy }: { zone: Zone; onSave: (z: Zone) => void; busy: boolean }) {
  const [mode, setMode] = useState(zone.mode);
  const [f, setF] = useState<Record<string, string>>({
    refloodCm: String(zone.awd?.refloodCm ?? -15),
    targetCm: String(zone.awd?.targetCm ?? 5),
    refillPct: String(zone.threshold?.refillPct ?? 25),
    fieldCapacityPct: String(zone.threshold?.fieldCapacityPct ?? 35),
    salinityLimitPpt: String(zone.salinityLimitPpt),
    maxRunMinutes: String(zone.maxRunMinutes),
    windows: (zone.schedule?.windows ?? []).map((w) => `${w.start}-${w.end}`).join(', '),
  });
  const [issues, setIssues] = useState<string[]>([]);
  const id = (k: string) => `${zone.id}-${k}`;
  const field = (k: MsgKey, step = '1') => (
    <InputField
      id={id(k)}
      label={t(k)}
      name={k}
      inputMode="decimal"
      type="number"
      step={step}
      min={RULES[k]?.min}
      max={RULES[k]?.max}
      value={f[k] ?? ''}
      onValue={(v) => setF({ ...f, [k]: v })}
    />
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const c = check(mode, f);
    if (c.issues.length) {
      setIssues(c.issues);
      return;
    }
    const { n } = c;
    const candidate = {
      ...zone,
      mode,
      salinityLimitPpt: n.salinityLimitPpt,
      maxRunMinutes: n.maxRunMinutes,
      awd: mode === 'awd' ? { ...(zone.awd ?? {}), refloodCm: n.refloodCm, targetCm: n.targetCm } : zone.awd,
      threshold:
        mode === 'threshold'
          ? { ...(zone.threshold ?? {}), refillPct: n.refillPct, fieldCapacityPct: n.fieldCapacityPct }
          : zone.threshold,
      schedule:
        mode === 'schedule' ? { ...(zone.schedule ?? {}), windows: parseWindows(f.windows ?? '') } : zone.schedule,
    };
    const r = Zone.safeParse(candidate);
    if (!r.success) {
      setIssues(
        r.error.issues.map((i) =>
          issueText({
            path: i.path as Array<string | number>,
            code: i.code,
            minimum: (i as { minimum?: unknown }).minimum,
            maximum: (i as { maximum?: unknown }).maximum,
          }),
        ),
      );
      return;
    }
    setIssues([]);
    onSave(r.data);
  };
  return (
    <form class="editor" onSubmit={submit} noValidate aria-label={`${t('settings')} ${zone.name ?? zone.id}`}>
      <SelectField
        id={id('mode')}
        label={t('mode')}
        options={MODES.map((m) => ({ id: m, name: t(`mode_${m}` as MsgKey) }))}
        value={mode}
        onChange={(m) => {
          setMode(m as Zone['mode']);
          setIssues([]);
        }}
      />
      {mode === 'awd' && (
        <>
          {field('refloodCm')}
          {field('targetCm')}
        </>
      )}
      {mode === 'threshold' && (
        <>
          {field('refillPct')}
          {field('fieldCapacityPct')}
        </>
      )}
      {mode === 'schedule' && (
        <InputField
          id={id('windows')}
          label={t('scheduleWindows')}
          value={f.windows ?? ''}
          onValue={(v) => setF({ ...f, windows: v })}
        />
      )}
      {field('salinityLimitPpt', '0.1')}
      {field('maxRunMinutes')}
      {issues.length > 0 && (
        <div class="error" role="alert">
          {t('invalid')}
          <IssueList issues={issues} text={(line) => line} />
        </div>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('saving') : t('save')}
      </button>
    </form>
  );
}
