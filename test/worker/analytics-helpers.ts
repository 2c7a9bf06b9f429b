import { env } from 'cloudflare:workers';
import type { AnalyticsResponse } from '../../worker/analytics/contract.ts';
import { ADMIN, call, ORIGIN } from './helpers.ts';

export const today = () => new Date().toISOString().slice(0, 10);

export const sendEvents = (
  key: string,
  body: unknown,
  init: { type?: string; origin?: string; viaUrl?: boolean } = {},
) =>
  call(init.viaUrl ? `/v1/events?key=${key}` : '/v1/events', {
    method: 'POST',
    headers: {
      Origin: init.origin ?? ORIGIN,
      'Content-Type': init.type ?? 'application/json',
      ...(init.viaUrl ? {} : { 'X-Voice-Buddy-Key': key }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export async function getAnalytics(tenant: string, from = today(), to = today()): Promise<AnalyticsResponse> {
  const res = await call(`/admin/analytics?tenant=${tenant}&from=${from}&to=${to}`, { headers: ADMIN });
  if (res.status !== 200) throw new Error(`analytics ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Polls until `check` holds: the queue consumer runs on its own schedule (max_batch_timeout 1 s here). */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  check: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

/** A counter's value today, straight from D1 (for the server facts the admin contract does not surface). */
export async function counter(tenant: string, metric: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT SUM(value) AS n FROM analytics_counters WHERE tenant_id = ? AND day = ? AND metric = ?',
  )
    .bind(tenant, today(), metric)
    .first<{ n: number | null }>();
  return row?.n ?? 0;
}
