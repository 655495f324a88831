import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RuongSoError } from '../../lib/errors.js';
import type { Logger } from '../../lib/log.js';

/** Every error body of the API: a stable code and a sentence a person can act on. */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });
export const errorResponses = { 400: ErrorBody, 404: ErrorBody, 500: ErrorBody, 503: ErrorBody };

/** Stable error codes → HTTP status; unknown codes are 500. */
const STATUS: Record<string, number> = {
  NOT_FOUND: 404, CONFLICT: 409, INVALID: 400, BAD_REQUEST: 400, CONFIG_INVALID: 400,
  AUTH_REQUIRED: 401, AUTH_FORBIDDEN: 403, RATE_LIMITED: 429,
};

export function statusOf(code: string): number {
  if (STATUS[code]) return STATUS[code];
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_INVALID')) return 400;
  if (code.endsWith('_UNAVAILABLE')) return 503;
  return 500;
}

/** A 400 for a value the schema could not express (a time that does not parse, a range too big). */
export class BadRequestError extends RuongSoError<'BAD_REQUEST'> {
  constructor(message: string) { super('BAD_REQUEST', message); }
}
export class NotFoundError extends RuongSoError<'NOT_FOUND'> {
  constructor(message: string) { super('NOT_FOUND', message); }
}

function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  return (err.validation ?? []).map((v) => {
    const field = String(v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    return `${where}${field ? `.${field}` : ''}: ${v.message ?? 'is not valid'}`;
  }).join('; ') || err.message;
}

/**
 * The one error handler: 4xx say what to change; 5xx say only that it failed and the request id,
 * the details go to the log.
 */
export function makeErrorHandler(log: Logger) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send({ error: 'BAD_REQUEST', message: validationMessage(err) });
    }
    if (isResponseSerializationError(err)) {
      log.error({ err, reqId: req.id, url: req.url }, 'response does not match its schema');
      return reply.code(500).send({ error: 'INTERNAL', message: `internal error (request ${req.id}); the server log has the details` });
    }
    if (err instanceof RuongSoError) {
      const status = statusOf(err.code);
      if (status < 500) return reply.code(status).send({ error: err.code, message: err.message });
      log.error({ err, reqId: req.id, url: req.url }, 'request failed');
      const what = status === 503 ? 'a service behind the API is unavailable; try again shortly' : 'internal error';
      return reply.code(status).send({ error: err.code, message: `${what} (request ${req.id})` });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) return reply.code(status).send({ error: err.code ?? 'BAD_REQUEST', message: err.validation ? validationMessage(err) : err.message });
    log.error({ err, reqId: req.id, url: req.url }, 'request failed');
    return reply.code(500).send({ error: 'INTERNAL', message: `internal error (request ${req.id}); the server log has the details` });
  };
}
