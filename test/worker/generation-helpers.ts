// Shared by the handoff, SSE and webhook tests: starting a handoff without waiting for its background work,
// reading a Server-Sent Events stream, and the tenant's generation usage.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import app from '../../worker/index.ts';
import type { Env } from '../../worker/env.ts';
import type { Keywords } from '../../widget/keywords/types.ts';
import { utcMonth } from '../../worker/limits/month.ts';
import { ADMIN, call, ORIGIN, tenantHeaders } from './helpers.ts';

export const KEYWORDS: Keywords = {
  subject: ['wolf'],
  elements: ['moon', 'star'],
  style: ['traditional'],
  colors: ['black-and-grey'],
  placement: 'forearm',
  size: 'medium',
  mood: ['dark'],
  lettering: 'Stay wild',
  exclude: ['rose'],
};

export interface Started {
  res: Response;
  /** Resolves when the generation work the POST left running (waitUntil) has finished. */
  background: Promise<void>;
}

/** POST /v1/handoff, answering as soon as the Worker answers, while its waitUntil work goes on. */
export async function startHandoff(key: string, body: unknown, envOverride: Partial<Env> = {}): Promise<Started> {
  const ctx = createExecutionContext();
  const req = new Request('https://vb.test/v1/handoff', {
    method: 'POST',
    headers: tenantHeaders(key, ORIGIN, { 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  const res = await app.fetch(req, { ...env, ...envOverride }, ctx);
  return { res, background: waitOnExecutionContext(ctx) };
}

export async function handoffOk(key: string, keywords: Keywords = KEYWORDS, envOverride: Partial<Env> = {}) {
  const started = await startHandoff(key, { keywords, sessionId: 'sess-1' }, envOverride);
  if (started.res.status !== 202) throw new Error(`handoff failed: ${started.res.status} ${await started.res.text()}`);
  const body = await started.res.json<{
    generationId: string;
    eventsUrl: string;
    statusUrl: string;
    target: string;
  }>();
  return { ...body, background: started.background };
}

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Parses one SSE block ("field: value" lines) the way EventSource does, keeping comments. */
function parseBlock(block: string): SseEvent {
  const out: SseEvent = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) out.comment = line.slice(1).trim();
    const m = /^(id|event|data|retry): ?(.*)$/.exec(line);
    if (m) out[m[1] as 'id' | 'event' | 'data' | 'retry'] = m[2]!;
  }
  return out;
}

/**
 * Reads a stream until `stop` says so (then cancels it, as a closing browser tab would) or until the server closes
 * it. `closed` tells which happened.
 */
export async function readSse(res: Response, stop: (events: SseEvent[]) => boolean = () => false, timeoutMs = 10_000) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  let closed = false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`SSE read timed out after ${events.length} events`);
    const { done, value } = await reader.read();
    if (done) {
      closed = true;
      break;
    }
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      events.push(parseBlock(buffer.slice(0, cut)));
      buffer = buffer.slice(cut + 2);
    }
    if (stop(events)) {
      await reader.cancel();
      break;
    }
  }
  return { events, closed, real: events.filter((e) => e.event) };
}

export const openEvents = (id: string, key: string, headers: Record<string, string> = {}, query = '') =>
  call(`/v1/generations/${id}/events${query}`, { headers: tenantHeaders(key, ORIGIN, headers) });

export const getStatus = async (id: string, key: string) => {
  const res = await call(`/v1/generations/${id}`, { headers: tenantHeaders(key) });
  expect(res.status).toBe(200);
  return (await res.json<{ generation: GenerationView }>()).generation;
};

export interface GenerationView {
  id: string;
  status: string;
  progress: number;
  stage: string;
  target: string;
  errorCode: string | null;
  prompt: string;
  keywords: Keywords;
  concepts: Array<{ index: number; imageUrl: string; alt: string }>;
}

export async function generationsUsed(tenant: string) {
  const res = await call(`/admin/usage?tenant=${tenant}&month=${utcMonth()}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return (await res.json<{ usage: Array<{ generations: { used: number; limit: number } }> }>()).usage[0]!.generations;
}

export const decodeDataUrl = (url: string) => {
  const [head, b64] = url.split(',');
  expect(head).toMatch(/^data:image\/[\w+]+;base64$/);
  return new TextDecoder().decode(Uint8Array.from(atob(b64!), (ch) => ch.charCodeAt(0)));
};
