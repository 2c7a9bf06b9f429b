// How the widget's static files are served, in one place: the build writes it into dist/_headers (which Cloudflare's
// asset server applies to every response it makes, 304s and 404s included), and the Worker applies the same to the
// static responses it makes itself (a missing file, the admin console).

/** The widget's own files: copied under /v/<version>/ and /v/<major>/ by the build. */
export const WIDGET_FILES = ['voice-buddy.iife.js', 'voice-buddy.js', 'chunks'] as const;

/**
 * Any page may load the widget's files: dynamic import() and audioWorklet.addModule() are CORS requests, and a page
 * with `Cross-Origin-Embedder-Policy: require-corp` also needs CORP. The API keeps its per-tenant CORS.
 */
export const PUBLIC_ASSET_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Timing-Allow-Origin': '*',
  'X-Content-Type-Options': 'nosniff',
};

/** Content-hashed files and pinned versions never change. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Loaders (and the moving major) are checked on every load: a deploy reaches every page at once. */
export const REVALIDATE = 'public, max-age=0, must-revalidate';

const LOADERS = ['voice-buddy.iife.js', 'voice-buddy.js'];

/**
 * Cache-Control of a widget file under /v/<version>/ or /v/<major>/ (`file` is the path below it), the same that
 * dist/_headers gives the current release: an exact version never changes; a major's loaders move with each release.
 */
export function releaseCacheControl(version: string, file: string): string {
  return /^\d+\.\d+\.\d+$/.test(version) || !LOADERS.includes(file) ? IMMUTABLE : REVALIDATE;
}

/** Content types of the files a release holds. */
export function releaseContentType(file: string): string {
  if (file.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (file.endsWith('.json')) return 'application/json; charset=utf-8';
  return 'application/octet-stream';
}

/** dist/_headers for this release. Rules must not overlap on a header: overlapping values are joined, not replaced. */
export function assetHeaders(version: string): string {
  const major = version.split('.')[0];
  const rule = (path: string, headers: Record<string, string>) =>
    `${path}\n${Object.entries(headers)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}\n`;
  const loaders = (prefix: string) => LOADERS.map((f) => rule(`${prefix}/${f}`, { 'Cache-Control': REVALIDATE }));
  return [
    '# Written by the build (vite.config.ts, from worker/assets/policy.ts): do not edit.\n',
    rule('/*', { ...PUBLIC_ASSET_HEADERS }),
    rule('/chunks/*', { 'Cache-Control': IMMUTABLE }),
    ...loaders(''),
    rule(`/v/${version}/*`, { 'Cache-Control': IMMUTABLE }),
    rule(`/v/${major}/chunks/*`, { 'Cache-Control': IMMUTABLE }),
    ...loaders(`/v/${major}`),
  ].join('\n');
}
