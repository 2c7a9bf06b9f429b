import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { fileNotFound } from './assets/not-found.ts';
import { PUBLIC_ASSET_HEADERS } from './assets/policy.ts';
import { checkAlerts } from './analytics/alerts.ts';
import { consumeAnalytics } from './analytics/consumer.ts';
import type { QueueMessage } from './analytics/events.ts';
import { sweepAvatarSessions } from './avatar/sweep.ts';
import type { AppEnv, Env } from './env.ts';
import { ApiError, errorResponse, notFound } from './errors.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { analyticsContext } from './middleware/analytics.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestId } from './middleware/request-id.ts';
import { tenantAuth } from './middleware/tenant.ts';
import { adminAnalytics } from './routes/admin/analytics.ts';
import { adminFlags } from './routes/admin/flags.ts';
import { adminTenants } from './routes/admin/tenants.ts';
import { adminUsage } from './routes/admin/usage.ts';
import { avatar } from './routes/avatar.ts';
import { bootstrap } from './routes/bootstrap.ts';
import { generationCallbacks, generations } from './routes/generations.ts';
import { handoff } from './routes/handoff.ts';
import { realtime } from './routes/realtime.ts';
import { calls } from './routes/calls.ts';
import { events } from './routes/events.ts';
import { relay } from './routes/relay.ts';
import { releases } from './routes/releases.ts';
import { tts } from './routes/tts.ts';
import { voicePing } from './routes/voice-ping.ts';

export { TenantLimits } from './limits/tenant-limits.ts';
export { RateLimiter } from './limits/rate-limiter.ts';
export { RealtimeCall } from './realtime/call.ts';

const v1 = new Hono<AppEnv>()
  .use(tenantAuth)
  .use(analyticsContext)
  .use(rateLimit)
  .route('/bootstrap', bootstrap)
  .route('/realtime', realtime)
  .route('/realtime', relay)
  .route('/realtime', calls)
  .route('/handoff', handoff)
  .route('/generations', generations)
  .route('/avatar', avatar)
  .route('/tts', tts)
  .route('/events', events);

const admin = new Hono<AppEnv>()
  .use(adminAuth)
  .route('/tenants', adminTenants)
  .route('/usage', adminUsage)
  .route('/flags', adminFlags)
  .route('/', adminAnalytics);

/** Headers of the admin console's page and script: nothing but this origin, never framed, no referrer. */
const CONSOLE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The console is static (dist/admin/): the page needs no token, every API call it makes does. */
async function adminConsole(c: Context<AppEnv>): Promise<Response> {
  if (!c.env.ASSETS) throw notFound();
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  const res = new Response(asset.body, asset);
  // dist/_headers opens every static file to any origin; the console is for this origin only.
  for (const name of Object.keys(PUBLIC_ASSET_HEADERS)) res.headers.delete(name);
  for (const [name, value] of Object.entries(CONSOLE_HEADERS)) res.headers.set(name, value);
  return res;
}

export const app = new Hono<AppEnv>()
  .use(requestId)
  .get('/health', (c) => c.json({ ok: true }))
  // Before v1: the ping is for admins (admin token on that route only), not behind a tenant's key.
  .route('/v1/voice', voicePing)
  // Signed with the tenant's webhook secret instead of key and Origin; mounted first so tenantAuth never runs for it.
  .route('/v1/generations', generationCallbacks)
  .route('/v1', v1)
  // Before the admin API and its token check; any other /admin path stays an API path (401/404 JSON).
  .on('GET', ['/admin', '/admin/', '/admin/console.js'], adminConsole)
  .route('/admin', admin)
  // Widget releases no longer among the static assets (the current ones never reach the Worker).
  .route('/v', releases);

/** Paths the API answers; anything else that reaches the Worker is a static file the asset server did not have. */
const API_PATH = /^\/(v1|admin|health)(\/|$)/;

app.notFound((c) => (API_PATH.test(c.req.path) ? errorResponse(c, notFound()) : fileNotFound(c)));

app.onError((err, c) => {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const status = err.status;
    return errorResponse(
      c,
      new ApiError(status, status === 404 ? 'not_found' : 'bad_request', err.message || 'Bad request'),
    );
  }
  // Only a fault of ours gets here. Log the request id and the error, never request contents or secrets.
  console.error('unhandled error', {
    requestId: c.get('requestId'),
    name: err.name,
    message: err.message,
  });
  return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong on our side'));
});

/** Cron trigger (wrangler.toml): closes avatar sessions nobody closed, then checks the analytics alerts. */
export async function scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const result = await sweepAvatarSessions(env, controller.scheduledTime);
  if (result.ended || result.closed || result.failed) console.log('avatar sweep', result);
  await checkAlerts(env, controller.scheduledTime);
}

/** The ANALYTICS queue's consumer (wrangler.toml [[queues.consumers]]). */
export async function queue(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
  await consumeAnalytics(batch, env);
}

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, QueueMessage>;
