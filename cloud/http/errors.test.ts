import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthError } from '../auth/errors.js';
import { MissionError } from '../missions/errors.js';
import { RegistryError } from '../registry/errors.js';
import { ReportError } from '../reports/errors.js';
import { StoreError } from '../telemetry/store.js';
import { ERROR_STATUS, makeErrorHandler, statusOf } from './errors.js';

describe('error codes to HTTP status', () => {
  it('maps codes that the components really throw, in one table', () => {
    // each instance is built from its component's own class, so a renamed code breaks this test
    const cases: Array<[{ code: string }, number]> = [
      [new RegistryError('NOT_FOUND', 'x'), 404],
      [new RegistryError('CONFLICT', 'x'), 409],
      [new RegistryError('INVALID', 'x'), 400],
      [new RegistryError('REGISTRY_UNAVAILABLE', 'x'), 503],
      [new RegistryError('REGISTRY_MIGRATION', 'x'), 500],
      [new AuthError('AUTH_REQUIRED', 'x'), 401],
      [new AuthError('AUTH_FORBIDDEN', 'x'), 403],
      [new AuthError('AUTH_RATE_LIMITED', 'x'), 429],
      [new AuthError('AUTH_ORIGIN_REFUSED', 'x'), 403],
      [new AuthError('USER_TAKEN', 'x'), 409],
      [new AuthError('USER_INVALID', 'x'), 400],
      [new MissionError('MISSION_NOT_APPROVED', 'x'), 409],
      [new MissionError('FIELD_NOT_POLYGON', 'x'), 400],
      [new MissionError('WEATHER_REFUSED', 'x'), 422],
      [new ReportError('REPORT_UNIT_NOT_FOUND', 'x'), 404],
      [new ReportError('REPORT_RANGE_INVALID', 'x'), 400],
      [new StoreError('STORE_UNAVAILABLE', 'x'), 503],
    ];
    for (const [e, status] of cases) expect([e.code, statusOf(e.code)]).toEqual([e.code, status]);
    expect(statusOf('ANYTHING_ELSE')).toBe(500);
    expect(Object.values(ERROR_STATUS).every((s) => s >= 400 && s < 600)).toBe(true);
  });

  it('answers a bad query with 400 naming the parameter, and hides the internals of a 500', async () => {
    const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(makeErrorHandler());
    app.get('/q', { schema: { querystring: z.object({ limit: z.coerce.number().int().max(10) }) } }, async () => ({
      ok: true,
    }));
    app.get('/boom', async () => {
      throw new Error('secret path /etc/x');
    });
    app.get('/taken', async () => {
      throw new AuthError('USER_TAKEN', 'phone taken', { field: 'phone' });
    });
    const q = await app.inject({ url: '/q?limit=99' });
    expect(q.statusCode).toBe(400);
    expect(q.json()).toMatchObject({
      error: 'BAD_REQUEST',
      params: { param: 'querystring.limit' },
      issues: [{ path: 'querystring.limit', code: 'too_big', params: { maximum: 10 } }],
    });
    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret');
    expect((await app.inject({ url: '/taken' })).json()).toEqual({
      error: 'USER_TAKEN',
      message: 'phone taken',
      params: { field: 'phone' },
    });
    await app.close();
  });
});
