import { useState } from 'preact/hooks';
import { api, ApiError, type ErrorDetails } from '../api.js';
import { t } from '../i18n.js';
import { warningText } from '../codes.js';
import { IssueList } from './issue-list.js';
import { ErrorBox } from './error-box.js';
import { InputField } from './input-field.js';

type Finding = NonNullable<ErrorDetails['findings']>[number];

/**
 * Approval with the weather of the spray window: wind (and gusts), rain now, chance of rain.
 * The server judges them against the product's limits; a refusal lists why, warnings must be
 * accepted explicitly before a second try.
 */
export function WeatherApproval<M>({ missionId, onApproved }: { missionId: string; onApproved: (m: M) => void }) {
  const [wind, setWind] = useState('');
  const [gust, setGust] = useState('');
  const [rain, setRain] = useState('');
  const [rainPct, setRainPct] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [refused, setRefused] = useState(false);
  const [accept, setAccept] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.replace(',', '.')));
  const warned = !refused && findings.length > 0;
  const approve = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body = {
      windMps: Number(wind.replace(',', '.')),
      gustMps: num(gust),
      rainMmH: num(rain),
      rainProbability: num(rainPct) === undefined ? undefined : num(rainPct)! / 100,
      ...(warned && accept ? { acceptWarnings: true } : {}),
    };
    try {
      onApproved(await api<M>('POST', `/api/v1/missions/${missionId}/approve`, body));
    } catch (err) {
      const f = err instanceof ApiError ? (err.details.findings ?? []) : [];
      if (
        err instanceof ApiError &&
        f.length > 0 &&
        (err.code === 'WEATHER_REFUSED' || err.code === 'WEATHER_WARNINGS')
      ) {
        setFindings(f);
        setRefused(err.code === 'WEATHER_REFUSED');
        setAccept(false);
      } else setError(err);
    }
  };
  // a changed value is a new check: old findings no longer apply
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setFindings([]);
    setRefused(false);
  };
  return (
    <form onSubmit={(e) => void approve(e)} aria-labelledby="wx-h">
      <h3 id="wx-h">{t('weatherCheck')}</h3>
      <div class="row">
        {/* id, label, value, setter, step, max; only the wind is required, the rest may stay empty */}
        {(
          [
            ['wx-wind', 'windMps', wind, setWind, '0.1', '80'],
            ['wx-gust', 'gustMps', gust, setGust, '0.1', '100'],
            ['wx-rain', 'rainMmH', rain, setRain, '0.1', '500'],
            ['wx-rainp', 'rainChancePct', rainPct, setRainPct, '1', '100'],
          ] as const
        ).map(([id, label, value, set, step, max]) => (
          <InputField
            key={id}
            id={id}
            label={t(label)}
            type="number"
            required={id === 'wx-wind'}
            step={step}
            min="0"
            max={max}
            value={value}
            onValue={edit(set)}
          />
        ))}
      </div>
      {findings.length > 0 && (
        <div class={`status ${refused ? 'bad' : 'wait'}`} role="alert" data-testid="weather-findings">
          <strong>{refused ? t('weatherRefused') : t('weatherWarnings')}</strong>
          <IssueList issues={findings} text={warningText} />
          {warned && (
            <label>
              <input
                type="checkbox"
                checked={accept}
                onChange={(e) => setAccept((e.target as HTMLInputElement).checked)}
              />{' '}
              {t('acceptWarnings')}
            </label>
          )}
        </div>
      )}
      <ErrorBox error={error} />
      <button type="submit" class="primary" disabled={refused || (warned && !accept)}>
        {t('approve')}
      </button>
    </form>
  );
}
