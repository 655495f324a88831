import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { fmtMonth, locale } from '../i18n.js';
import { errorText } from '../codes.js';
import { tr, type ReportMsgKey } from '../i18n-reports.js';
import { useSignal } from '../state.js';
import { Choropleth } from './officer/choropleth.js';
import { CommuneMap } from './officer/commune-map.js';
import { MonthTable } from './officer/month-table.js';
import { TrendChart } from './officer/trend-chart.js';
import { SelectField } from '../components/select-field.js';
import { KPIS, type AdoptionReport } from './officer/types.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Agriculture officer: adoption of the communes they report on (the API scopes the rows), month
 * by month — per-commune tables, a trend chart and a shaded unit × month table of one KPI, and the
 * exports (CSV, Excel, printable monthly report). Read-only: no controls of any farm here.
 */
export function OfficerPage() {
  const lang = useSignal(locale);
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [report, setReport] = useState<AdoptionReport | null>(null);
  const [error, setError] = useState('');
  const [kpi, setKpi] = useState<ReportMsgKey>('automatedHa');
  const [month, setMonth] = useState('');
  const [tileUrl, setTileUrl] = useState('');
  useEffect(() => {
    api<{ tileUrl: string }>('GET', '/ui-config.json').then(
      (c) => setTileUrl(c.tileUrl),
      () => undefined,
    );
  }, []);
  const query = new URLSearchParams(Object.entries(range).filter((e): e is [string, string] => !!e[1])).toString();

  useEffect(() => {
    let gone = false;
    setError('');
    api<AdoptionReport>('GET', `/api/v1/reports/adoption${query ? `?${query}` : ''}`).then(
      (r) => {
        if (gone) return;
        setReport(r);
        setMonth(r.to);
      },
      (err) => {
        if (!gone) setError(err instanceof ApiError && err.status === 403 ? tr('forbidden') : errorText(err));
      },
    );
    return () => {
      gone = true;
    };
  }, [query]);

  const months = useMemo(() => [...new Set(report?.rows.map((r) => r.month) ?? [])], [report]);
  const communes = useMemo(() => report?.units.filter((u) => u.level === 'commune') ?? [], [report]);
  const tops = communes.length ? communes : (report?.units.filter((u) => u.parentId === null) ?? []);
  const serverLang = lang === 'en' ? 'en' : 'vi';
  const exportQuery = `${query ? `${query}&` : ''}lang=${serverLang}`;
  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const str = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');
    const from = str(f.get('from'));
    const to = str(f.get('to'));
    setRange({ ...(MONTH.test(from) ? { from } : {}), ...(MONTH.test(to) ? { to } : {}) });
  };

  return (
    <section class="card" data-testid="officer-page">
      <h1>{tr('title')}</h1>
      <form class="row" onSubmit={submit}>
        <div class="field">
          <label for="rep-from">{tr('from')}</label>
          <input id="rep-from" name="from" type="month" value={range.from ?? report?.from ?? ''} />
        </div>
        <div class="field">
          <label for="rep-to">{tr('to')}</label>
          <input id="rep-to" name="to" type="month" value={range.to ?? report?.to ?? ''} />
        </div>
        <button type="submit">{tr('show')}</button>
        <a class="button" href={`/api/v1/reports/adoption.csv?${exportQuery}`} download data-testid="export-csv">
          {tr('exportCsv')}
        </a>
        <a class="button" href={`/api/v1/reports/adoption.xlsx?${exportQuery}`} download data-testid="export-xlsx">
          {tr('exportXlsx')}
        </a>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!report && !error && <p class="muted">{tr('loading')}</p>}
      {report && report.rows.length === 0 && <p class="muted">{tr('noRows')}</p>}
      {report && report.rows.length > 0 && (
        <>
          <div class="row">
            <SelectField
              id="rep-kpi"
              label={tr('kpi')}
              options={KPIS.map((k) => ({ id: k, name: tr(k) }))}
              value={kpi}
              onChange={(k) => setKpi(k as ReportMsgKey)}
            />
            <SelectField
              id="rep-month"
              label={tr('month')}
              options={months.map((m) => ({ id: m, name: fmtMonth(m) }))}
              value={month}
              onChange={setMonth}
            />
          </div>
          <CommuneMap
            units={communes.length ? communes : tops}
            rows={report.rows}
            kpi={kpi}
            month={month}
            tileUrl={tileUrl}
          />
          <TrendChart units={tops} months={months} rows={report.rows} kpi={kpi} />
          <h2>
            {tr('map')} — {tr(kpi)}
          </h2>
          <Choropleth
            units={report.units.filter((u) => u.level === 'commune' || u.level === 'hamlet' || !communes.length)}
            months={months}
            rows={report.rows}
            kpi={kpi}
          />
          {tops.map((c) => (
            <div key={c.id}>
              <MonthTable commune={c} units={report.units} rows={report.rows} month={month} />
              <p>
                <a
                  href={`/api/v1/reports/monthly/${encodeURIComponent(c.id)}/${month}?lang=${serverLang}`}
                  target="_blank"
                  rel="noopener"
                  data-testid={`print-${c.id}`}
                >
                  {tr('printable', { m: fmtMonth(month) })}
                </a>
              </p>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
