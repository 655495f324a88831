import { useState } from 'preact/hooks';
import { Zone } from '../../../../protocol/schemas/gateway-config.js';
import { t, type MsgKey } from '../i18n.js';

type ZoneT = Zone;
const MODES = ['awd', 'threshold', 'schedule', 'off'] as const;

function num(v: string): number | undefined { const n = Number(v.replace(',', '.')); return v.trim() === '' || Number.isNaN(n) ? undefined : n; }

function parseWindows(s: string) {
  return s.split(',').map((w) => w.trim()).filter(Boolean).map((w) => { const [start = '', end = ''] = w.split('-'); return { days: [], start: start.trim(), end: end.trim() }; });
}

/**
 * The settings form of one zone. Validates with the same Zone schema the gateway uses, so a
 * farmer sees "refloodCm must be below targetCm" before anything is sent.
 */
export function ZoneEditor({ zone, onSave, busy }: { zone: ZoneT; onSave: (z: ZoneT) => void; busy: boolean }) {
  const [mode, setMode] = useState(zone.mode);
  const [f, setF] = useState<Record<string, string>>({
    refloodCm: String(zone.awd?.refloodCm ?? -15), targetCm: String(zone.awd?.targetCm ?? 5),
    refillPct: String(zone.threshold?.refillPct ?? 25), fieldCapacityPct: String(zone.threshold?.fieldCapacityPct ?? 35),
    salinityLimitPpt: String(zone.salinityLimitPpt), maxRunMinutes: String(zone.maxRunMinutes),
    windows: (zone.schedule?.windows ?? []).map((w) => `${w.start}-${w.end}`).join(', '),
  });
  const [issues, setIssues] = useState<string[]>([]);
  const id = (k: string) => `${zone.id}-${k}`;
  const field = (k: MsgKey & string, step = '1') => (
    <div class="field">
      <label for={id(k)}>{t(k)}</label>
      <input id={id(k)} name={k} inputMode="decimal" type="number" step={step} value={f[k]} onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} />
    </div>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const candidate = {
      ...zone, mode,
      salinityLimitPpt: num(f.salinityLimitPpt ?? ''), maxRunMinutes: num(f.maxRunMinutes ?? ''),
      awd: mode === 'awd' || zone.awd ? { ...(zone.awd ?? {}), refloodCm: num(f.refloodCm ?? ''), targetCm: num(f.targetCm ?? '') } : undefined,
      threshold: mode === 'threshold' || zone.threshold ? { ...(zone.threshold ?? {}), refillPct: num(f.refillPct ?? ''), fieldCapacityPct: num(f.fieldCapacityPct ?? '') } : undefined,
      schedule: mode === 'schedule' || zone.schedule ? { ...(zone.schedule ?? {}), windows: parseWindows(f.windows ?? '') } : undefined,
    };
    const r = Zone.safeParse(candidate);
    if (!r.success) { setIssues(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)); return; }
    setIssues([]);
    onSave(r.data);
  };
  return (
    <form class="editor" onSubmit={submit} aria-label={`${t('settings')} ${zone.name ?? zone.id}`}>
      <div class="field">
        <label for={id('mode')}>{t('mode')}</label>
        <select id={id('mode')} value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value as ZoneT['mode'])}>
          {MODES.map((m) => <option value={m} key={m}>{t(`mode_${m}` as MsgKey)}</option>)}
        </select>
      </div>
      {mode === 'awd' && <>{field('refloodCm')}{field('targetCm')}</>}
      {mode === 'threshold' && <>{field('refillPct')}{field('fieldCapacityPct')}</>}
      {mode === 'schedule' && (
        <div class="field"><label for={id('windows')}>{t('scheduleWindows')}</label>
          <input id={id('windows')} value={f.windows} onInput={(e) => setF({ ...f, windows: (e.target as HTMLInputElement).value })} /></div>
      )}
      {field('salinityLimitPpt', '0.1')}
      {field('maxRunMinutes')}
      {issues.length > 0 && <div class="error" role="alert">{t('invalid')}<ul>{issues.map((i) => <li key={i}>{i}</li>)}</ul></div>}
      <button type="submit" class="primary" disabled={busy}>{busy ? t('saving') : t('save')}</button>
    </form>
  );
}
