import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

export function clientIp(req: Request): string {
  return req.headers.get('cf-connecting-ip') ?? req.headers.get('x-real-ip') ?? 'unknown';
}

/** Per tenant and client IP, at the tenant's requests per minute, decided by one Durable Object per pair. */
export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const tenant = c.get('tenant');
  const limit = tenant.limits.requestsPerMinute;
  const stub = c.env.RATE.get(c.env.RATE.idFromName(`${tenant.id}|${clientIp(c.req.raw)}`));
  const decision = await stub.hit(limit);
  const headers = {
    'RateLimit-Policy': `${limit};w=60`,
    RateLimit: `limit=${limit}, remaining=${decision.remaining}, reset=${decision.reset}`,
  };
  if (!decision.allowed) {
    throw new ApiError(
      429,
      'rate_limited',
      `Too many requests: at most ${limit} a minute. Try again in ${decision.reset} s.`,
      undefined,
      {
        ...headers,
        'Retry-After': String(decision.reset),
      },
    );
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  await next();
});
