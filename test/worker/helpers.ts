import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import app from '../../worker/index.ts';
import type { Env } from '../../worker/env.ts';

export const ADMIN = { Authorization: 'Bearer test-admin-token' };
export const ORIGIN = 'https://studio.example.com';

let counter = 0;
/** A unique tenant id per test, so tests share nothing through D1 or the Durable Objects. */
export const uniqueId = (prefix = 't') => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Sends a request through the whole Worker, as workerd would, with an optional env override. */
export async function call(path: string, init: RequestInit = {}, envOverride: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`https://vb.test${path}`, init), { ...env, ...envOverride }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function createTenant(overrides: Record<string, unknown> = {}) {
  const id = (overrides.id as string) ?? uniqueId();
  const res = await call('/admin/tenants', {
    method: 'POST',
    headers: { ...ADMIN, 'Content-Type': 'application/json', 'X-Admin-Actor': 'test-suite' },
    body: JSON.stringify({
      id,
      name: `Studio ${id}`,
      publishableKey: `pk_${id.replace(/-/g, '_')}`,
      allowedOrigins: [ORIGIN],
      persona: 'You help visitors of Ink & Iron, a tattoo studio.',
      limits: { requestsPerMinute: 100_000 },
      ...overrides,
    }),
  });
  if (res.status !== 201) throw new Error(`createTenant failed: ${res.status} ${await res.text()}`);
  const { tenant } = await res.json<{ tenant: { id: string; publishableKey: string } }>();
  return tenant;
}

/** Headers of a browser request from an allowed page of the tenant. */
/** A tenant whose persona carries a marker unique to the test: the fake OpenAI's log is found by it. */
export async function markedTenant(prefix: string, overrides: Record<string, unknown> = {}) {
  const marker = `persona-${uniqueId(prefix)}`;
  const t = await createTenant({ persona: `You help visitors of Ink & Iron. ${marker}`, ...overrides });
  return { ...t, marker };
}

export const tenantHeaders = (key: string, origin = ORIGIN, extra: Record<string, string> = {}) => ({
  'X-Voice-Buddy-Key': key,
  Origin: origin,
  ...extra,
});

export const postJson = (path: string, key: string, body: unknown, origin = ORIGIN, envOverride: Partial<Env> = {}) =>
  call(
    path,
    {
      method: 'POST',
      headers: tenantHeaders(key, origin, { 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
    },
    envOverride,
  );

/** Steers the fake OpenAI server (test/fakes/openai.js). */
export const fakeOpenAI = {
  async next(...responses: Array<{ status?: number; delayMs?: number; retryAfter?: number }>) {
    await fetch(`${env.OPENAI_BASE_URL}/__fake/next`, { method: 'POST', body: JSON.stringify({ responses }) });
  },
  async reset() {
    await fetch(`${env.OPENAI_BASE_URL}/__fake/reset`, { method: 'POST' });
  },
  async log() {
    return await (
      await fetch(`${env.OPENAI_BASE_URL}/__fake/log`)
    ).json<{
      requests: Array<{
        path: string;
        keyOk: boolean;
        body: { session: Record<string, unknown>; expires_after: unknown } | null;
      }>;
    }>();
  },
};

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  let body: ErrorBody;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    throw new Error(`expected JSON error ${status} ${code}, got ${res.status}: ${text.slice(0, 200)}`);
  }
  if (res.status !== status || body.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  }
  if (!body.error.requestId || body.error.requestId !== res.headers.get('x-request-id')) {
    throw new Error('error body must carry the X-Request-Id');
  }
  if (typeof body.error.message !== 'string' || !body.error.message) throw new Error('error must have a message');
  return body;
}

/** Sends `event` to the fake OpenAI's call `callId` as the browser would over the call's data channel. */
export const sendAsCallClient = (callId: string, event: unknown) =>
  fetch(`${env.OPENAI_BASE_URL}/__fake/calls/${callId}/client`, {
    method: 'POST',
    body: JSON.stringify({ event }),
  });
