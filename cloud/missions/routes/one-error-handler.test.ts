import { afterEach, describe, expect, it } from 'vitest';
import { buildMemoryApp, bearer } from '../../../test/support/memory-app.js';

type Built = Awaited<ReturnType<typeof buildMemoryApp>>;
let built: Built | undefined;
afterEach(async () => {
  await built?.app.close();
  built = undefined;
});

describe('mission routes and the one error handler', () => {
  it('builds without Fastify warning that an error handler is set twice', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => {
      warnings.push(w.code ?? w.name);
    };
    process.on('warning', onWarning);
    try {
      built = await buildMemoryApp();
      // process warnings are emitted on the next tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('FSTWRN004');
  });

  it('answers mission errors with the body and status of http/errors.ts', async () => {
    built = await buildMemoryApp();
    const tech = await bearer(built.app, 'kythuat');
    const ghost = await built.app.inject({ url: '/api/v1/missions/ghost/exports', headers: tech });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json()).toMatchObject({ error: 'NOT_FOUND', message: expect.any(String) });
    const bad = await built.app.inject({
      method: 'POST',
      url: '/api/v1/missions',
      headers: tech,
      payload: { fieldId: 42 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'BAD_REQUEST',
      issues: expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('body') })]),
    });
  });
});
