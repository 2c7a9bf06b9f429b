import { Hono } from 'hono';
import * as v from 'valibot';
import type { Keywords } from '../../widget/keywords/types.ts';
import { parseJson } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { requireFlag, UidSchema } from '../flags/enforce.ts';
import { runGeneration, resolveTarget } from '../handoff/dispatch.ts';
import { buildPrompt } from '../handoff/prompt.ts';
import { createGeneration } from '../handoff/store.ts';
import { consumeQuota } from '../limits/quota.ts';
import { utcMonth } from '../limits/month.ts';

// Bounds keep a prompt, a webhook body and an SVG card small whatever a client sends.
const term = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(60), v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'));
const terms = v.optional(v.pipe(v.array(term), v.maxLength(12, 'must have at most 12 entries')), []);
const single = (max: number) =>
  v.optional(
    v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max), v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'))),
    null,
  );

/** The shape of `Keywords` (widget/keywords/types.ts); a missing list counts as empty, a missing value as null. */
export const KeywordsSchema = v.strictObject({
  subject: terms,
  elements: terms,
  style: terms,
  colors: terms,
  placement: single(40),
  size: single(40),
  mood: terms,
  lettering: single(80),
  exclude: terms,
});

const HandoffRequest = v.strictObject({
  keywords: KeywordsSchema,
  sessionId: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^[\w.:-]{1,128}$/, 'must be 1-128 letters, digits, or . _ : -'))), null),
  uid: v.optional(UidSchema),
});

const dedupe = (items: string[]) => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

function tidy(k: v.InferOutput<typeof KeywordsSchema>): Keywords {
  return {
    subject: dedupe(k.subject),
    elements: dedupe(k.elements),
    style: dedupe(k.style),
    colors: dedupe(k.colors),
    placement: k.placement || null,
    size: k.size || null,
    mood: dedupe(k.mood),
    lettering: k.lettering || null,
    exclude: dedupe(k.exclude),
  };
}

export const handoff = new Hono<AppEnv>().post('/', async (c) => {
  const tenant = c.get('tenant');
  const body = await parseJson(c, HandoffRequest);
  await requireFlag(c, 'keywords.handoff', body.uid);
  const keywords = tidy(body.keywords);
  if (keywords.subject.length === 0 && keywords.elements.length === 0) {
    throw new ApiError(400, 'keywords_incomplete', 'Say what the design should show (a subject or an element) before generating');
  }
  const target = resolveTarget(c.env, tenant);
  const lease = await consumeQuota(c.env, tenant, 'generation');
  const id = crypto.randomUUID();
  const prompt = buildPrompt(keywords);
  const createdAt = new Date().toISOString();
  try {
    await createGeneration(c.env, { id, tenantId: tenant.id, sessionId: body.sessionId, keywords, prompt, target, quotaMonth: utcMonth() });
  } catch (e) {
    await lease.release();
    throw e;
  }
  const origin = new URL(c.req.url).origin;
  // waitUntil, not a Durable Object: the work left after this response is short and bounded. The sandbox takes
  // about a second; a webhook is one signed POST (the tenant reports back through the callback, each report its own
  // request); OpenAI is one call capped at 25 s, inside the 30 s waitUntil allows. Should an isolate die mid-way
  // anyway, the stall check fails the generation and gives the unit back. A runner that outlives these bounds
  // (a Durable Object alarm) would need a new class and migration for no gain at these durations.
  c.executionCtx.waitUntil(
    runGeneration(c.env, { id, tenant, sessionId: body.sessionId, keywords, prompt, target, callbackUrl: `${origin}/v1/generations/${id}/callback`, createdAt }),
  );
  const events = new URL(`/v1/generations/${id}/events`, origin);
  // EventSource cannot send headers; the publishable key is public, so it may ride in the URL.
  events.searchParams.set('key', tenant.publishableKey);
  return c.json({ generationId: id, eventsUrl: events.toString(), statusUrl: `${origin}/v1/generations/${id}`, target }, 202);
});
