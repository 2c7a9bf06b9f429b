import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/** Every response carries X-Request-Id; errors repeat it in their body so a support request can quote it. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set('requestId', id);
  await next();
  c.res.headers.set('X-Request-Id', id);
});
