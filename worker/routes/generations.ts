import { Hono } from 'hono';
import * as v from 'valibot';
import type { Keywords } from '../../widget/keywords/types.ts';
import { readLimited, validate } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { altText } from '../handoff/prompt.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../handoff/signature.ts';
import { eventStream } from '../handoff/sse.ts';
import {
  appendCallbackEvent,
  concepts,
  conceptSeq,
  expireIfStalled,
  getGeneration,
  isTerminal,
  lastSeq,
} from '../handoff/store.ts';
import { param } from '../validator.ts';
import { IdParam } from './schemas.ts';

/** `:id`, a UUID: anything else cannot exist, and is answered like an id that does not. */
const generationId = param(IdParam, () => notFound('Generation'));

function lastEventId(c: {
  req: { header(name: string): string | undefined; query(name: string): string | undefined };
}): number {
  const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new ApiError(400, 'invalid_request', 'Last-Event-ID must be the id of an event from this stream', [
      { path: 'Last-Event-ID', message: 'must be a non-negative integer' },
    ]);
  }
  return Number(raw);
}

/** Tenant-facing reads: only the tenant that owns a generation sees it; for any other it does not exist. */
export const generations = new Hono<AppEnv>()
  .get('/:id', generationId, async (c) => {
    const { id } = c.req.valid('param');
    let g = await getGeneration(c.env, id, c.get('tenant').id);
    if (!g) throw notFound('Generation');
    if (await expireIfStalled(c.env, g)) g = (await getGeneration(c.env, id))!;
    return c.json({
      generation: {
        id: g.id,
        status: g.status,
        progress: g.progress,
        stage: g.stage,
        target: g.target,
        sessionId: g.session_id,
        keywords: JSON.parse(g.keywords) as Keywords,
        prompt: g.prompt,
        errorCode: g.error_code,
        concepts: await concepts(c.env, id),
        createdAt: g.created_at,
        updatedAt: g.updated_at,
        completedAt: g.completed_at,
      },
    });
  })
  .get('/:id/events', generationId, async (c) => {
    const { id } = c.req.valid('param');
    const after = lastEventId(c);
    const g = await getGeneration(c.env, id, c.get('tenant').id);
    if (!g) throw notFound('Generation');
    await expireIfStalled(c.env, g);
    // Nothing left to send on a finished generation: 204 is what tells EventSource to stop reconnecting.
    const fresh = (await getGeneration(c.env, id))!;
    if (isTerminal(fresh.status) && after >= (await lastSeq(c.env, id))) return c.body(null, 204);
    return c.body(eventStream(c.env, id, after), 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
  });

const imageUrl = v.pipe(
  v.string(),
  v.maxLength(60_000),
  v.regex(
    /^(?:https?:\/\/\S+|data:image\/(?:png|jpeg|webp|gif|svg\+xml);base64,[A-Za-z0-9+/]+={0,2})$/,
    'must be an http(s) URL or a base64 image data URL',
  ),
);
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/**
 * Every callback names the generation it is for (a signature for one generation is no good for another) and an
 * event id of the tenant's choosing, kept when the same report is sent again: each id is applied once.
 */
const callbackEntries = {
  generationId: v.string(),
  eventId: v.pipe(v.string(), v.regex(/^[\w.:-]{1,100}$/, 'must be 1-100 letters, digits or . _ : -')),
};

/** What a tenant's image service reports, one event a request. */
const CallbackBody = v.variant('type', [
  v.strictObject({
    type: v.literal('progress'),
    percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
    stage: v.optional(v.pipe(v.string(), v.regex(/^[\w .-]{1,40}$/, 'must be a short word'))),
    ...callbackEntries,
  }),
  v.strictObject({
    type: v.literal('concept'),
    imageUrl,
    alt: v.optional(text(300)),
    index: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(99))),
    ...callbackEntries,
  }),
  v.strictObject({ type: v.literal('done'), ...callbackEntries }),
  v.strictObject({
    type: v.literal('error'),
    code: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,40}$/, 'must be snake_case'))),
    message: v.optional(text(300)),
    ...callbackEntries,
  }),
]);

const MAX_EVENTS = 200;

const badSignature = () =>
  new ApiError(401, 'invalid_signature', 'The callback signature is missing, wrong or outside the 5-minute window');

/**
 * The webhook callback: called by the tenant's server, not a browser, so it is authenticated by the signature
 * under the tenant's webhook secret and not by publishable key and Origin. It is mounted ahead of the tenant API
 * (see worker/index.ts) so the key middleware never runs for it.
 */
export const generationCallbacks = new Hono<AppEnv>().post('/:id/callback', generationId, async (c) => {
  const { id } = c.req.valid('param');
  const raw = await readLimited(c.req.raw);
  const g = await getGeneration(c.env, id);
  if (!g || g.target !== 'webhook') throw notFound('Generation');
  const tenant = await c.env.DB.prepare('SELECT settings FROM tenants WHERE id = ?')
    .bind(g.tenant_id)
    .first<{ settings: string }>();
  const secret = tenant
    ? (JSON.parse(tenant.settings) as { handoff?: { webhookSecret?: string | null } }).handoff?.webhookSecret
    : null;
  if (!secret) throw badSignature();
  const verdict = await verifyWebhook(secret, raw, c.req.header(TIMESTAMP_HEADER), c.req.header(SIGNATURE_HEADER));
  if (!verdict.ok) throw badSignature();

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  const event = validate(CallbackBody, json);
  if (event.generationId !== id) {
    throw new ApiError(400, 'invalid_request', 'This callback was signed for another generation', [
      { path: 'generationId', message: 'must be the generation id of the callback URL' },
    ]);
  }

  let data: Record<string, unknown>;
  if (event.type === 'error') {
    data = {
      code: event.code ?? 'generation_failed',
      message: event.message ?? 'The image service could not make the concepts',
    };
  } else if (event.type === 'progress') {
    data = { percent: Math.round(event.percent), stage: event.stage ?? 'rendering' };
  } else if (event.type === 'concept') {
    const index = event.index ?? (await concepts(c.env, id)).length;
    // A concept index is received once: a tenant may resend one under a new event id after a timeout on its side.
    const existing = await conceptSeq(c.env, id, index);
    if (existing !== null) return c.json({ ok: true, seq: existing, duplicate: true });
    data = { index, imageUrl: event.imageUrl, alt: event.alt ?? altText(JSON.parse(g.keywords) as Keywords, index) };
  } else {
    data = { concepts: (await concepts(c.env, id)).length };
  }
  const outcome = await appendCallbackEvent(c.env, id, event.eventId, event.type, data, MAX_EVENTS);
  if (outcome.kind === 'duplicate') return c.json({ ok: true, seq: outcome.seq, duplicate: true });
  if (outcome.kind === 'finished') throw finished(outcome.status);
  if (outcome.kind === 'full')
    throw new ApiError(
      409,
      'too_many_events',
      `A generation takes at most ${MAX_EVENTS} events (done or error still end it)`,
    );
  return c.json({ ok: true, seq: outcome.seq });
});

const finished = (status: string) =>
  new ApiError(409, 'generation_finished', `This generation has already ended (${status})`);
