import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { log } from '../../lib/log.js';
import { DEFAULT_TILE_URL } from '../http/tiles.js';

export const UI_DIST = fileURLToPath(new URL('./dist/', import.meta.url));
/** OpenStreetMap's standard tiles; point tileUrl at a local tile server where there is no internet */

export interface UiPluginOptions {
  /** folder of the built app; default cloud/ui/dist */
  root?: string;
  /** Leaflet tile URL template; '' = plain background only */
  tileUrl?: string;
}

/**
 * Serves the built web app: static files with long-lived caching for hashed assets, the
 * client config at /ui-config.json, and index.html for any other GET that is not /api or /docs
 * (the app routes by hash, but deep links still land on it).
 */
export const uiPlugin: FastifyPluginAsync<UiPluginOptions> = async (app, opts) => {
  const root = opts.root ?? UI_DIST;
  const tileUrl = opts.tileUrl ?? DEFAULT_TILE_URL;
  app.get('/ui-config.json', { schema: { hide: true } }, async () => ({ tileUrl }));
  if (!existsSync(`${root}/index.html`)) {
    log.child({ mod: 'ui' }).warn({ root }, 'web app not built: run `npm run build:ui`');
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .status(503)
        .send('The web app is not built. Run `npm run build:ui` (npm install does it) and restart.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // a wildcard route, not a not-found handler: the app shell owns the 404 handler, and exact
  // routes (API, assets, /docs/*) always win over a wildcard in the router
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  });
};
