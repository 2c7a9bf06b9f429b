import type { Context } from 'hono';

const EXPOSED = 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, ETag, Location';
// Authorization carries a hands-free ticket to POST /v1/realtime/calls.
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Voice-Buddy-Key, If-None-Match, Last-Event-ID';

/** CORS headers are only ever written for an origin that passed the tenant's allowlist. */
export function setCorsHeaders(c: Context, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Expose-Headers', EXPOSED);
  c.header('Vary', 'Origin', { append: true });
}

export function preflightResponse(origin: string, requestId: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
      'X-Request-Id': requestId,
    },
  });
}
