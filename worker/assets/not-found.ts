import type { Context } from 'hono';
import { errorResponse, notFound } from '../errors.ts';
import { PUBLIC_ASSET_HEADERS } from './policy.ts';

/**
 * A static file that is not there: still readable cross-origin, so the page can see why (an old chunk after a deploy).
 */
export function fileNotFound(c: Context): Response {
  const res = errorResponse(c, notFound('File'));
  for (const [name, value] of Object.entries(PUBLIC_ASSET_HEADERS)) res.headers.set(name, value);
  res.headers.set('Cache-Control', 'no-cache');
  return res;
}
