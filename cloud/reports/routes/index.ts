import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../lib/time.js';
import { systemClock } from '../../../lib/time.js';
import { requireRole } from '../../auth/index.js';
import { adoptionCsv, adoptionXlsx } from '../export.js';
import { addMonths, monthOf, type Month } from '../months.js';
import { methodNotes, monthlyReportHtml } from '../printable.js';
import type { ReportService, Viewer } from '../service.js';
import { ErrorBody, errorResponses } from '../../http/errors.js';
import { AdoptionQuery, AdoptionResponse, ExportQuery, MonthlyParams, MonthlyQuery } from './schemas.js';

export interface ReportRoutesOptions {
  reports: ReportService;
  clock?: Clock;
}

const denied = { 401: ErrorBody, 403: ErrorBody };
const TAGS = ['reports'];

/**
 * Adoption reports for agriculture officers (their communes' subtrees) and admins (everything);
 * farmers and technicians get 403. Needs the auth plugin on the root app (request.user).
 */
export const reportRoutes: FastifyPluginAsyncZod<ReportRoutesOptions> = async (app, opts) => {
  const clock = opts.clock ?? systemClock;
  const guard = requireRole('officer', 'admin');
  const viewer = (req: { user: { role: string; communes: string[] } | null }): Viewer => ({
    role: req.user!.role,
    communes: req.user!.communes,
  });
  const range = (q: { from?: string | undefined; to?: string | undefined }): { from: Month; to: Month } => {
    const to = q.to ?? monthOf(clock.now());
    return { from: q.from ?? addMonths(to, -11), to };
  };
  const stamp = (q: { from: string; to: string; unit?: string | undefined }) =>
    `adoption-${q.unit ?? 'all'}-${q.from}-${q.to}`;

  app.get(
    '/api/v1/reports/adoption',
    {
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: 'Monthly adoption KPIs per administrative unit, rolled up the tree',
        querystring: AdoptionQuery,
        response: { 200: AdoptionResponse, ...errorResponses, ...denied },
      },
    },
    async (req) => opts.reports.adoption({ unit: req.query.unit, ...range(req.query) }, viewer(req)),
  );

  app.get(
    '/api/v1/reports/adoption.csv',
    {
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: 'The adoption report as CSV (UTF-8 with BOM)',
        querystring: ExportQuery,
        response: { 200: z.string(), ...errorResponses, ...denied },
      },
    },
    async (req, reply) => {
      const q = { unit: req.query.unit, ...range(req.query) };
      const r = await opts.reports.adoption(q, viewer(req));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${stamp(q)}.csv"`)
        .send(adoptionCsv(r.rows, req.query.lang));
    },
  );

  app.get(
    '/api/v1/reports/adoption.xlsx',
    {
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: 'The adoption report as an Excel workbook',
        querystring: ExportQuery,
        response: {
          200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
          ...errorResponses,
          ...denied,
        },
      },
    },
    async (req, reply) => {
      const q = { unit: req.query.unit, ...range(req.query) };
      const r = await opts.reports.adoption(q, viewer(req));
      const body = await adoptionXlsx(r.rows, { lang: req.query.lang, notes: methodNotes(req.query.lang) });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${stamp(q)}.xlsx"`)
        .send(body);
    },
  );

  app.get(
    '/api/v1/reports/monthly/:unit/:month',
    {
      preHandler: guard,
      schema: {
        tags: TAGS,
        summary: 'Printable monthly report of a unit (HTML; Vietnamese, ?lang=en for English)',
        params: MonthlyParams,
        querystring: MonthlyQuery,
        response: { 200: z.string(), ...errorResponses, ...denied },
      },
    },
    async (req, reply) => {
      const { unit, month } = req.params;
      const r = await opts.reports.adoption({ unit, from: addMonths(month, -11), to: month }, viewer(req));
      const trend = r.rows.filter((x) => x.unitId === unit);
      const children = r.rows.filter((x) => x.parentId === unit && x.month === month);
      const html = monthlyReportHtml({
        unit: trend.at(-1)!,
        children,
        trend,
        lang: req.query.lang,
        generatedAt: new Date(clock.now()).toISOString(),
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
};
