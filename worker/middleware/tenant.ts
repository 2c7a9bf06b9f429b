import { createMiddleware } from 'hono/factory';
import type { AppEnv, Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { allActiveOrigins, getTenantByKey } from '../tenants/store.ts';
import { preflightResponse, setCorsHeaders } from './cors.ts';
import { originAllowed, requestOrigin } from './origins.ts';

// A preflight carries no custom headers, so without a `key` in the URL it cannot name its tenant: it is answered
// for an origin that some active tenant allows, and the real request is then checked against its own tenant. The
// list is cached with the tenants (tenants/store.ts), so a tenant written in this isolate counts at once.
const anyTenantAllows = async (env: Env, origin: string): Promise<boolean> =>
  originAllowed(origin, await allActiveOrigins(env));

function publishableKey(req: Request): string | null {
  const header = req.headers.get('x-voice-buddy-key');
  if (header) return header;
  const isGetLike =
    req.method === 'GET' || req.method === 'HEAD' || req.headers.get('upgrade')?.toLowerCase() === 'websocket';
  // navigator.sendBeacon cannot set headers, so the avatar's unload beacon names its tenant in the URL (Origin is
  // still checked: browsers send it on every POST).
  const path = new URL(req.url).pathname;
  const isBeacon = req.method === 'POST' && /\/avatar\/session\/[^/]+\/close$/.test(path);
  // The hands-free callsUrl names its tenant too, so the SDP offer needs no header beyond OpenAI's own two.
  const isCall = req.method === 'POST' && path === '/v1/realtime/calls';
  // Telemetry goes out with sendBeacon or a keepalive fetch as text/plain (no preflight as the page unloads).
  const isEvents = req.method === 'POST' && path === '/v1/events';
  return isGetLike || isBeacon || isCall || isEvents ? new URL(req.url).searchParams.get('key') : null;
}

/** Resolves the tenant from its publishable key and enforces its Origin allowlist; answers CORS preflights. */
export const tenantAuth = createMiddleware<AppEnv>(async (c, next) => {
  const req = c.req.raw;
  const origin = requestOrigin(req);

  if (req.method === 'OPTIONS') {
    const key = new URL(req.url).searchParams.get('key');
    const tenant = key ? await getTenantByKey(c.env, key) : null;
    const allowed =
      origin && (tenant ? originAllowed(origin, tenant.allowedOrigins) : await anyTenantAllows(c.env, origin));
    if (!allowed) throw new ApiError(403, 'origin_not_allowed', `Origin ${origin ?? '(none)'} may not call this API`);
    return preflightResponse(origin, c.get('requestId'));
  }

  const key = publishableKey(req);
  if (!key) throw new ApiError(401, 'unknown_key', 'Send the publishable key in the X-Voice-Buddy-Key header');
  const tenant = await getTenantByKey(c.env, key);
  if (!tenant) throw new ApiError(401, 'unknown_key', 'Unknown publishable key');
  if (!origin || !originAllowed(origin, tenant.allowedOrigins)) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      origin
        ? `Origin ${origin} is not on this site's allowlist`
        : 'Requests must come from a page on an allowed origin',
    );
  }
  setCorsHeaders(c, origin);
  if (tenant.status === 'suspended')
    throw new ApiError(403, 'tenant_suspended', 'This voice assistant is not available right now');
  c.set('tenant', tenant);
  c.set('origin', origin);
  await next();
});
