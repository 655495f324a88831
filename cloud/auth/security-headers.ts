import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TILE_URL } from '../http/tiles.js';

export interface SecurityOptions {
  /** production: HSTS on (the site is served over HTTPS) */
  production?: boolean;
  /** Leaflet tile template; its host is the one image source beside our own */
  tileUrl?: string;
}

/** `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`; '' or unparsable → none. */
export function tileSource(tileUrl: string): string | null {
  if (!tileUrl) return null;
  const m = /^(https?):\/\/([^/]+)/.exec(tileUrl);
  if (!m) return null;
  const host = m[2]!.replace(/\{[a-z]+\}/g, '*');
  return `${m[1]}://${host}`;
}

/**
 * Security headers on every response (@fastify/helmet): a CSP with no inline script and no
 * framing, nosniff, a strict Referrer-Policy, HSTS in production. The web app (cloud/ui) loads
 * one module script and one stylesheet from /assets; map tiles are the only foreign images.
 */
export async function securityHeaders(app: FastifyInstance, o: SecurityOptions): Promise<void> {
  const tiles = tileSource(o.tileUrl ?? DEFAULT_TILE_URL);
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Leaflet and Preact set element.style from script, which CSP allows; no <style> or style="" in markup
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(o.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: o.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // the tiles are cross-origin images without CORP headers
    crossOriginEmbedderPolicy: false,
  });
}
