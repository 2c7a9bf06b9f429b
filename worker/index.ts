import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.ts';
import { ApiError, errorResponse, notFound } from './errors.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { tenantAuth } from './middleware/tenant.ts';
import { adminTenants } from './routes/admin/tenants.ts';
import { adminUsage } from './routes/admin/usage.ts';
import { bootstrap } from './routes/bootstrap.ts';
import { realtime } from './routes/realtime.ts';

export { TenantLimits } from './limits/tenant-limits.ts';
export { RateLimiter } from './limits/rate-limiter.ts';

const v1 = new Hono<AppEnv>()
  .use(tenantAuth)
  .use(rateLimit)
  .route('/bootstrap', bootstrap)
  .route('/realtime', realtime);

const admin = new Hono<AppEnv>()
  .use(adminAuth)
  .route('/tenants', adminTenants)
  .route('/usage', adminUsage);

export const app = new Hono<AppEnv>()
  .use(requestId)
  .get('/health', (c) => c.json({ ok: true }))
  .route('/v1', v1)
  .route('/admin', admin);

app.notFound((c) => errorResponse(c, notFound()));

app.onError((err, c) => {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const status = err.status;
    return errorResponse(c, new ApiError(status, status === 404 ? 'not_found' : 'bad_request', err.message || 'Bad request'));
  }
  // Only a fault of ours gets here. Log the request id and the error, never request contents or secrets.
  console.error('unhandled error', { requestId: c.get('requestId'), name: (err as Error).name, message: (err as Error).message });
  return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong on our side'));
});

export default app;
