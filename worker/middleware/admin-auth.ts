import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

const encoder = new TextEncoder();

/** Constant-time comparison: both sides are hashed first so neither length nor content leaks through timing. */
export async function tokenMatches(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!expected) throw new ApiError(401, 'unauthorized', 'The admin API is disabled: set ADMIN_TOKEN');
  if (!match || !(await tokenMatches(match[1]!.trim(), expected))) {
    throw new ApiError(
      401,
      'unauthorized',
      'A valid admin token is required (Authorization: Bearer <token>)',
      undefined,
      {
        'WWW-Authenticate': 'Bearer realm="voice-buddy-admin"',
      },
    );
  }
  await next();
});

/** Who made an admin change, for the audit trail: X-Admin-Actor when given, else "admin". */
export function adminActor(req: Request): string {
  const raw = req.headers.get('x-admin-actor')?.trim() ?? '';
  return /^[\w .@+-]{1,80}$/.test(raw) ? raw : 'admin';
}
