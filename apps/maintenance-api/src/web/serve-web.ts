import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the service, never to the page (its fallback must not answer them). */
const SERVICE_PATHS = /^\/(api|healthz|readyz|metrics)(\/|$|\?)/;

/**
 * Serves the operator web page (apps/web's build) under `/`, same origin as /api/v1.
 * Hashed assets are cached for a year; index.html is revalidated every time, so a new build
 * shows at the next load. Any other GET asking for HTML that is not a service path gets
 * index.html (the page routes in the browser); /api and the probes keep their own 404s.
 * Returns false when there is no build in `dir` (the API runs without a page).
 */
export async function serveWeb(app: NestFastifyApplication, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, 'index.html'))) return false;
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    setHeaders: (res, path) => {
      void res.header('Cache-Control', path.includes(`${join(dir, 'assets')}/`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      void res.header('X-Content-Type-Options', 'nosniff');
    },
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    const path = req.url;
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    const isFile = /\/[^/?]+\.[A-Za-z0-9]+(\?|$)/.test(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml && !isFile && path !== '/' && !SERVICE_PATHS.test(path)) {
      void reply.header('Cache-Control', 'no-cache').sendFile('index.html');
      return;
    }
    done();
  });
  return true;
}
