// POST /v1/events: the widget's telemetry. Checked (key, Origin, the tenant's rate limit: worker/index.ts), validated,
// capped per widget session, then handed to the ANALYTICS queue after the answer: nothing here waits for D1.
import { Hono } from 'hono';
import { sendEvents } from '../analytics/record.ts';
import { EventBatchSchema, MAX_EVENTS_PER_REQUEST } from '../analytics/events.ts';
import { readLimited, validate } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/** Events one widget session may send in SESSION_WINDOW_MS; more is refused with 429 (a page in a loop, a script). */
export const SESSION_EVENT_CAP = 1000;
export const SESSION_WINDOW_MS = 10 * 60_000;

export const events = new Hono<AppEnv>().post('/', async (c) => {
  const type = c.req.header('content-type') ?? '';
  // text/plain is what sendBeacon and a preflight-free keepalive fetch send; the body is JSON either way.
  if (!/^(?:application\/json|text\/plain)\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the events as JSON (application/json or text/plain)');
  }
  const text = await readLimited(c.req.raw);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  const batch = validate(EventBatchSchema, data);
  const tenant = c.get('tenant');
  if (tenant.settings.telemetry?.enabled === false) return c.json({ accepted: 0, telemetry: 'off' }, 202);
  const stub = c.env.RATE.get(c.env.RATE.idFromName(`events|${tenant.id}|${batch.session}`));
  const decision = await stub.hit(SESSION_EVENT_CAP, SESSION_WINDOW_MS, Date.now(), batch.events.length);
  if (!decision.allowed) {
    throw new ApiError(
      429,
      'rate_limited',
      `Too many events for one session: at most ${SESSION_EVENT_CAP} in 10 minutes`,
      undefined,
      {
        'Retry-After': String(decision.reset),
      },
    );
  }
  // The visitor hash and the session id stay here: rollups count events, they never store who sent them.
  sendEvents(c.env, (p) => c.executionCtx.waitUntil(p), {
    tenant: tenant.id,
    at: Date.now(),
    source: 'widget',
    events: batch.events,
  });
  return c.json({ accepted: batch.events.length, max: MAX_EVENTS_PER_REQUEST }, 202);
});
