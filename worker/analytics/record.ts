// Records server facts without making anyone wait: the send to the ANALYTICS queue runs in waitUntil, after the
// response, and a failure to send is logged and dropped (analytics never fails a visitor's request).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Env } from '../env.ts';
import type { QueueMessage, ServerEvent } from './events.ts';

export type Background = (p: Promise<unknown>) => void;

interface Scope {
  env: Env;
  tenant: string;
  background: Background;
}

/** Set per tenant request (worker/middleware/tenant.ts), so code deep in a call (a provider call) can record. */
export const analyticsScope = new AsyncLocalStorage<Scope>();

export function sendEvents(env: Env, background: Background, msg: QueueMessage): void {
  const queue = env.ANALYTICS;
  // ANALYTICS_OFF=1: the operator's switch (and the bench's baseline); nothing is sent, the routes answer as always.
  if (!queue || env.ANALYTICS_OFF === '1') return;
  background(
    queue.send(msg, { contentType: 'json' }).catch((e: unknown) => {
      console.warn(JSON.stringify({ event: 'analytics_send_failed', name: (e as Error).name }));
    }),
  );
}

/** A fact of one tenant, recorded from anywhere that has the env and a waitUntil (routes, Durable Objects). */
export function recordFor(env: Env, background: Background, tenant: string, ...events: ServerEvent[]): void {
  if (events.length) sendEvents(env, background, { tenant, at: Date.now(), source: 'server', events });
}

/** A fact of the tenant whose request is running; outside a tenant request it is not recorded. */
export function record(...events: ServerEvent[]): void {
  const scope = analyticsScope.getStore();
  if (scope) recordFor(scope.env, scope.background, scope.tenant, ...events);
}

/**
 * A fact of a known tenant from code that may run inside a tenant request (then sent after its response) or not
 * (a webhook's callback: then the returned promise sends it, and the caller awaits it).
 */
export async function recordTenant(env: Env, tenant: string, ...events: ServerEvent[]): Promise<void> {
  const scope = analyticsScope.getStore();
  if (scope) return recordFor(env, scope.background, tenant, ...events);
  const pending: Promise<unknown>[] = [];
  recordFor(env, (p) => pending.push(p), tenant, ...events);
  await Promise.all(pending);
}
