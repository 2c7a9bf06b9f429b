import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { fileNotFound } from '../assets/not-found.ts';
import { PUBLIC_ASSET_HEADERS, releaseCacheControl, releaseContentType } from '../assets/policy.ts';

/**
 * Earlier widget releases. The current release's /v/<version>/ and /v/<major>/ files are static assets, served
 * before the Worker runs; each deploy replaces the assets, so what reaches this route is a release that is no longer
 * among them. `npm run deploy` keeps every release it deploys in R2 (WIDGET_RELEASES, demo/publish-release.mjs), and
 * a page pinned to one keeps working after later deploys.
 */
export const releases = new Hono<AppEnv>().on(
  ['GET', 'HEAD'],
  '/:version{\\d+(\\.\\d+\\.\\d+)?}/:file{.+}',
  async (c) => {
    const { version, file } = c.req.param();
    const bucket = c.env.WIDGET_RELEASES;
    if (!bucket || !/^[\w.-]+(\/[\w.-]+)*$/.test(file) || file.split('/').includes('..')) return fileNotFound(c);
    // onlyIf answers the browser's revalidation (If-None-Match) without reading the body again.
    const object = await bucket.get(`v/${version}/${file}`, { onlyIf: c.req.raw.headers });
    if (!object) return fileNotFound(c);
    const headers = new Headers(PUBLIC_ASSET_HEADERS);
    headers.set('Content-Type', releaseContentType(file));
    headers.set('Cache-Control', releaseCacheControl(version, file));
    headers.set('ETag', object.httpEtag);
    if (!('body' in object)) return new Response(null, { status: 304, headers });
    headers.set('Content-Length', String(object.size));
    return new Response(c.req.method === 'GET' ? object.body : null, { status: 200, headers });
  },
);
