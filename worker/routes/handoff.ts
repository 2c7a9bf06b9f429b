import { record } from '../analytics/record.ts';
import { Hono } from 'hono';
import type { HandoffResponse } from '../api-types.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { requireFlag } from '../flags/enforce.ts';
import { runGeneration, resolveTarget } from '../handoff/dispatch.ts';
import { buildPrompt } from '../handoff/prompt.ts';
import { createGeneration } from '../handoff/store.ts';
import { tidyKeywords } from '../keywords.ts';
import { consumeQuota } from '../limits/quota.ts';
import { utcMonth } from '../limits/month.ts';
import { json } from '../validator.ts';
import { HandoffBody } from './schemas.ts';

export const handoff = new Hono<AppEnv>().post('/', json(HandoffBody), async (c) => {
  const tenant = c.get('tenant');
  const body = c.req.valid('json');
  await requireFlag(c, 'keywords.handoff', body.uid);
  const keywords = tidyKeywords(body.keywords);
  if (keywords.subject.length === 0 && keywords.elements.length === 0) {
    throw new ApiError(
      400,
      'keywords_incomplete',
      'Say what the design should show (a subject or an element) before generating',
    );
  }
  const target = resolveTarget(c.env, tenant);
  const lease = await consumeQuota(c.env, tenant, 'generation');
  const id = crypto.randomUUID();
  const prompt = buildPrompt(keywords);
  const createdAt = new Date().toISOString();
  try {
    await createGeneration(c.env, {
      id,
      tenantId: tenant.id,
      sessionId: body.sessionId,
      keywords,
      prompt,
      target,
      quotaMonth: utcMonth(),
    });
  } catch (e) {
    await lease.release();
    throw e;
  }
  record({ name: 'generation_requested' });
  const origin = new URL(c.req.url).origin;
  // waitUntil, not a Durable Object: the work left after this response is short and bounded. The sandbox takes
  // about a second; a webhook is one signed POST (the tenant reports back through the callback, each report its own
  // request); OpenAI is one call capped at 25 s, inside the 30 s waitUntil allows. Should an isolate die mid-way
  // anyway, the stall check fails the generation and gives the unit back. A runner that outlives these bounds
  // (a Durable Object alarm) would need a new class and migration for no gain at these durations.
  c.executionCtx.waitUntil(
    runGeneration(c.env, {
      id,
      tenant,
      sessionId: body.sessionId,
      keywords,
      prompt,
      target,
      callbackUrl: `${origin}/v1/generations/${id}/callback`,
      createdAt,
    }),
  );
  const events = new URL(`/v1/generations/${id}/events`, origin);
  // EventSource cannot send headers; the publishable key is public, so it may ride in the URL.
  events.searchParams.set('key', tenant.publishableKey);
  const statusUrl = `${origin}/v1/generations/${id}`;
  const answer = { generationId: id, eventsUrl: events.toString(), statusUrl, target };
  return c.json(answer satisfies HandoffResponse, 202);
});
