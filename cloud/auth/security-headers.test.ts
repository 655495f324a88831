import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { securityHeaders, tileSource } from './security-headers.js';

async function headers(production: boolean, tileUrl?: string) {
  const app = Fastify({ logger: false });
  await securityHeaders(app, { production, ...(tileUrl !== undefined ? { tileUrl } : {}) });
  app.get('/', async () => 'ok');
  const r = await app.inject({ url: '/' });
  await app.close();
  return r.headers;
}

describe('security headers', () => {
  it('turn HSTS on in production only', async () => {
    expect((await headers(true))['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect((await headers(false))['strict-transport-security']).toBeUndefined();
  });
  it('allow the configured tile host as the one foreign image source', async () => {
    expect(
      String((await headers(false, 'https://{s}.tiles.example.org/{z}/{x}/{y}.png'))['content-security-policy']),
    ).toContain("img-src 'self' data: blob: https://*.tiles.example.org;");
    expect(String((await headers(false, ''))['content-security-policy'])).toContain("img-src 'self' data: blob:;");
    expect(tileSource('not a url')).toBeNull();
  });
});
