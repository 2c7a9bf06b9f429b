import { createMiddleware } from 'hono/factory';
import { analyticsScope, record } from '../analytics/record.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/** The routes that grant a voice session (a relay ticket, a hands-free call or key); their outcome is recorded. */
const SESSION_ROUTES = new Set(['POST /v1/realtime/session', 'POST /v1/realtime/calls']);

/**
 * Opens the analytics scope of a tenant request (so a provider call deep inside can record itself) and records
 * sessions granted and refused, with the time the route took. Everything is sent after the response.
 */
export const analyticsContext = createMiddleware<AppEnv>(async (c, next) => {
  const env = c.env;
  const background = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  await analyticsScope.run({ env, tenant: c.get('tenant').id, background }, async () => {
    const started = Date.now();
    await next();
    if (!SESSION_ROUTES.has(`${c.req.method} ${c.req.path}`)) return;
    const ms = Date.now() - started;
    const res = c.res;
    if (res.status < 300) {
      // The mode is in the answer; it is read from a copy in the background, not before the visitor has it.
      background(
        res
          .clone()
          .json<{ mode?: string }>()
          .then(
            (body) => record({ name: 'session_granted', ms, ...(isMode(body.mode) ? { mode: body.mode } : {}) }),
            () => record({ name: 'session_granted', ms }),
          ),
      );
    } else {
      const code = c.error instanceof ApiError ? c.error.code : `http_${res.status}`;
      record({ name: 'session_refused', ms, code });
    }
  });
});

const isMode = (m: unknown): m is 'webrtc' | 'websocket' | 'text' =>
  m === 'webrtc' || m === 'websocket' || m === 'text';
