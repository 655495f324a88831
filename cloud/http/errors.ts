import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import { log as rootLog, type Logger } from '../../lib/log.js';
import { issueSummary } from '../../lib/zod-issues.js';

/**
 * Every error body of the API (the shared contract): a stable code the web app translates, an
 * English message for logs and developers, and the parameters / field issues the translation needs.
 */
export const Issue = z.object({
  path: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const ErrorBody = z
  .object({
    error: z.string(),
    message: z.string(),
    params: z.record(z.string(), z.unknown()).optional(),
    issues: z.array(Issue).optional(),
  })
  .passthrough();
export const errorResponses = { 400: ErrorBody, 404: ErrorBody, 500: ErrorBody, 503: ErrorBody };

/**
 * The one table of error codes → HTTP status, for every component. Codes not listed fall back on
 * their suffix (`_NOT_FOUND` 404, `_INVALID` 400, `_UNAVAILABLE` 503), else 500.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  INVALID: 400,
  CONFIG_INVALID: 400,
  USER_INVALID: 400,
  AUTH_WEAK_PASSWORD: 400,
  AUTH_DEFAULT_ADMIN: 400,
  ONBOARDING_INVALID: 400,
  SORTIE_REQUIRED: 400,
  AUTH_REQUIRED: 401,
  AUTH_BAD_CREDENTIALS: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_ORIGIN_REFUSED: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  MISSION_NOT_FOUND: 404,
  FIELD_NOT_FOUND: 404,
  GATEWAY_NOT_FOUND: 404,
  CONFLICT: 409,
  USER_TAKEN: 409,
  MISSION_INVALID_TRANSITION: 409,
  MISSION_CONFLICT: 409,
  MISSION_NOT_APPROVED: 409,
  WEATHER_REFUSED: 422,
  WEATHER_WARNINGS: 422,
  VERIFY_NO_LOG: 422,
  ROUTE_OFF_FIELD: 422,
  ROUTE_SPRAYS_OUTSIDE_FIELD: 422,
  ROUTE_COVERAGE_TOO_LOW: 422,
  ROUTE_NO_SPRAY: 422,
  ROUTE_SPRAYS_NO_SPRAY_ZONE: 422,
  RESPRAY_NOTHING_MISSED: 422,
  RATE_LIMITED: 429,
  AUTH_RATE_LIMITED: 429,
  MISSION_STORE: 500,
  REGISTRY_MIGRATION: 500,
};

export function statusOf(code: string): number {
  const s = ERROR_STATUS[code];
  if (s) return s;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_INVALID')) return 400;
  if (code.endsWith('_UNAVAILABLE')) return 503;
  // a component's own 4xx codes (missions' plan refusals, …) carry their class in the prefix
  if (/^(MISSION|FIELD|PLAN|ROUTE|QGC|WPL|EXPORT|SORTIE|RESPRAY|VERIFY|WEATHER)_/.test(code)) return 400;
  return 500;
}

/** A 400 for a value the schema could not express (a time that does not parse, a range too big). */
export class BadRequestError extends RuongSoError<'BAD_REQUEST'> {
  constructor(
    message: string,
    readonly params?: Record<string, unknown>,
  ) {
    super('BAD_REQUEST', message);
  }
}
export class NotFoundError extends RuongSoError<'NOT_FOUND'> {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

type ValidationItem = { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> };

/** Schema failures as field issues: `querystring.from` with the zod code (too_big, invalid_type, custom …). */
function validationIssues(err: FastifyError): z.infer<typeof Issue>[] {
  const where = err.validationContext ?? 'request';
  return ((err.validation ?? []) as ValidationItem[]).map((v) => {
    const field = String(v.instancePath ?? '')
      .replace(/^\//, '')
      .replaceAll('/', '.');
    const p = v.params ?? {};
    const issue = (p.issue ?? p) as { code?: string; params?: { code?: string }; minimum?: unknown; maximum?: unknown };
    const code = issue.params?.code ?? issue.code ?? v.keyword ?? 'invalid';
    const params: Record<string, unknown> = { message: v.message ?? 'is not valid' };
    if (issue.minimum !== undefined) params.minimum = issue.minimum;
    if (issue.maximum !== undefined) params.maximum = issue.maximum;
    return { path: `${where}${field ? `.${field}` : ''}`, code: String(code), params };
  });
}

/** The body of one of our errors: code, message, and what the web app needs to word it. */
function bodyOf(err: RuongSoError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: err.code, message: err.message };
  const params = (err as { params?: unknown }).params;
  if (params && typeof params === 'object') body.params = params;
  const ctx = err.context ?? {};
  if (Array.isArray(ctx.issues)) body.issues = ctx.issues;
  const weather = ctx.weather as { findings?: unknown } | undefined;
  if (weather && Array.isArray(weather.findings)) body.findings = weather.findings;
  return body;
}

/**
 * The one error handler (fastify/demo style), set once on the root app: 4xx say what to change;
 * 5xx say only that it failed and the request id, the details go to the log.
 */
export function makeErrorHandler(log: Logger = rootLog) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err) || (err.validation && err.statusCode === 400)) {
      const issues = validationIssues(err);
      const first = issues[0];
      return reply.code(400).send({
        error: 'BAD_REQUEST',
        message:
          issueSummary(
            { issues: issues.map((i) => ({ path: [i.path], message: String(i.params?.message) })) },
            Infinity,
          ) || err.message,
        ...(first ? { params: { param: first.path } } : {}),
        issues,
      });
    }
    if (isResponseSerializationError(err)) {
      log.error({ err, reqId: req.id, url: req.url }, 'response does not match its schema');
      return reply
        .code(500)
        .send({ error: 'INTERNAL', message: `internal error (request ${req.id}); the server log has the details` });
    }
    if (err instanceof RuongSoError) {
      const ours = err as RuongSoError<string>;
      const status = statusOf(ours.code);
      if (status < 500) return reply.code(status).send(bodyOf(ours));
      log.error({ err, reqId: req.id, url: req.url }, 'request failed');
      const what = status === 503 ? 'a service behind the API is unavailable; try again shortly' : 'internal error';
      return reply.code(status).send({ error: ours.code, message: `${what} (request ${req.id})` });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      // Fastify's own 4xx (unparsable JSON, body too large, unsupported media type …)
      const code =
        status === 429
          ? 'RATE_LIMITED'
          : status === 404
            ? 'NOT_FOUND'
            : status === 413
              ? 'BODY_TOO_LARGE'
              : status === 415
                ? 'UNSUPPORTED_MEDIA_TYPE'
                : 'BAD_REQUEST';
      return reply
        .code(status)
        .send({ error: code, message: err.message, ...(err.code ? { params: { fastify: err.code } } : {}) });
    }
    log.error({ err, reqId: req.id, url: req.url }, 'request failed');
    return reply
      .code(500)
      .send({ error: 'INTERNAL', message: `internal error (request ${req.id}); the server log has the details` });
  };
}
