import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { metricInfo } from '../../protocol/index.js';
import type { Clock } from '../../lib/time.js';
import type { GatewayView, Registry } from '../registry/registry.js';
import type { LatestReading, TelemetryStore } from '../telemetry/store.js';
import { LOCALES, messages, type Locale, type Messages } from './messages.js';

/**
 * The first web page: gateways with their latest readings, rendered on the server (no
 * JavaScript, a few KB on a 3G link), refreshed every 30 s. The full web app replaces it.
 */
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const TZ = 'Asia/Ho_Chi_Minh';

function fmt(locale: Locale) {
  const tag = locale === 'vi' ? 'vi-VN' : 'en-GB';
  const num = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const time = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'medium', timeZone: TZ });
  return { num: (n: number) => num.format(n), time: (ms: number) => time.format(new Date(ms)) };
}

function readingsCell(latest: LatestReading[] | null, t: Messages, f: ReturnType<typeof fmt>, locale: Locale): string {
  if (latest === null) return `<span class="bad">${t.storeDown}</span>`;
  if (!latest.length) return `<span class="muted">${t.noReadings}</span>`;
  return `<ul>${latest
    .map((r) => {
      const name = metricInfo(r.metric)?.[locale] ?? r.metric;
      const value =
        r.quality === 'bad' || r.value === null
          ? `<span class="bad">${t.fault}</span>`
          : `${f.num(r.value)} ${esc(r.unit)}`;
      return `<li>${esc(name)} <small>(${esc(r.sensor)})</small>: <b>${value}</b></li>`;
    })
    .join('')}</ul>`;
}

function row(
  g: GatewayView,
  latest: LatestReading[] | null,
  t: Messages,
  f: ReturnType<typeof fmt>,
  locale: Locale,
): string {
  const commune = g.units.find((u) => u.level === 'commune');
  return `<tr>
<td><b>${esc(g.name ?? g.id)}</b><br><small>${esc(g.id)}</small></td>
<td>${g.farm ? esc(g.farm.name) : `<span class="muted">${t.unassigned}</span>`}</td>
<td>${commune ? esc(commune.name) : '—'}</td>
<td><span class="${g.online ? 'on' : 'off'}">${g.online ? t.online : t.offline}</span></td>
<td>${g.lastSeen ? f.time(g.lastSeen) : t.never}</td>
<td>${readingsCell(latest, t, f, locale)}</td>
</tr>`;
}

export function renderGatewaysPage(
  locale: Locale,
  rows: { gateway: GatewayView; latest: LatestReading[] | null }[],
  now: number,
): string {
  const t = messages[locale];
  const f = fmt(locale);
  const other: Locale = locale === 'vi' ? 'en' : 'vi';
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30"><title>${t.title}</title>
<link rel="stylesheet" href="/page.css"></head>
<body><nav><a href="?lang=${other}" hreflang="${other}">${t.switchTo}</a><a href="/docs">${t.api}</a></nav>
<h1>${t.heading}</h1>
${
  rows.length
    ? `<table><thead><tr><th>${t.gateway}</th><th>${t.farm}</th><th>${t.commune}</th><th>${t.status}</th><th>${t.lastSeen}</th><th>${t.readings}</th></tr></thead>
<tbody>${rows.map((r) => row(r.gateway, r.latest, t, f, locale)).join('')}</tbody></table>`
    : `<p>${t.none}</p>`
}
<p class="muted"><small>${t.updated} ${f.time(now)}</small></p>
</body></html>`;
}

/** The page's styles, served as a file: the CSP allows no inline <style>. */
export const PAGE_CSS = `body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:1100px;color:#1b1b1b}
h1{font-size:1.3rem;color:#14532d}nav{display:flex;gap:1rem;justify-content:flex-end}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}
ul{margin:0;padding-left:1rem}.on{color:#14532d;font-weight:600}.off{color:#9a1b1b;font-weight:600}.bad{color:#9a1b1b}.muted{color:#555}
@media (max-width:600px){thead{display:none}tr{display:block;border-bottom:2px solid #999}td{display:block;border:0}}
`;

export interface WebOptions {
  registry: Registry;
  store: TelemetryStore;
  clock: Clock;
  path?: string;
}

export const webRoutes: FastifyPluginAsyncZod<WebOptions> = async (app, { registry, store, clock, path = '/' }) => {
  app.get('/page.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PAGE_CSS),
  );
  app.get(
    path,
    {
      schema: {
        hide: true,
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
      },
    },
    async (req, reply) => {
      const accept = req.headers['accept-language'] ?? '';
      const locale: Locale = req.query.lang ?? (/^en\b/i.test(accept) ? 'en' : 'vi');
      const gateways = await registry.listGateways({ limit: 1000 });
      const latest = await Promise.all(gateways.map((g) => store.latest(g.id).catch(() => null)));
      reply.type('text/html; charset=utf-8').header('content-language', locale);
      return renderGatewaysPage(
        locale,
        gateways.map((gateway, i) => ({ gateway, latest: latest[i] ?? null })),
        clock.now(),
      );
    },
  );
};
