// A test-side Realtime client for the relay: opens /v1/realtime/ws through the whole Worker (as workerd would
// route a browser's upgrade) and records every frame it receives.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../worker/env.ts';
import { call, ORIGIN } from './helpers.ts';

export type ServerEvent = { type: string; [key: string]: unknown };

export class RelayClient {
  readonly events: ServerEvent[] = [];
  readonly frames: string[] = [];
  closeInfo: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (e) => {
      const data = e.data as string;
      this.frames.push(data);
      this.events.push(JSON.parse(data) as ServerEvent);
      this.wake();
    });
    ws.addEventListener('close', (e) => {
      this.closeInfo = { code: e.code, reason: e.reason };
      this.wake();
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(event: unknown) {
    this.ws.send(typeof event === 'string' ? event : JSON.stringify(event));
  }

  /** Resolves once `check` holds, re-checked after every frame and on close. */
  async until<T>(check: () => T | undefined | null | false, what: string, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; got ${this.events.map((e) => e.type).join(', ')} close=${JSON.stringify(this.closeInfo)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  event(type: string, after = 0, ms?: number): Promise<ServerEvent> {
    return this.until(() => this.events.slice(after).find((e) => e.type === type), type, ms);
  }

  closed(ms?: number) {
    return this.until(() => this.closeInfo, 'close', ms);
  }

  close(code = 1000) {
    this.ws.close(code, 'bye');
  }
}

/** POST /v1/realtime/session for a relay mode; returns the ticket and the path of wsUrl. */
export async function newTicket(
  key: string,
  mode: 'websocket' | 'text',
  envOverride: Partial<Env> = {},
  extra: Record<string, unknown> = {},
) {
  const res = await call(
    '/v1/realtime/session',
    {
      method: 'POST',
      headers: { 'X-Voice-Buddy-Key': key, Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode, ...extra }),
    },
    envOverride,
  );
  expect(res.status).toBe(201);
  const body = await res.json<{ ticket: string; wsUrl: string; sessionId: string; sandbox: boolean }>();
  const url = new URL(body.wsUrl);
  return { ...body, path: `${url.pathname}${url.search}` };
}

export function upgrade(path: string, headers: Record<string, string> = {}, envOverride: Partial<Env> = {}) {
  return call(path, { headers: { Upgrade: 'websocket', Origin: ORIGIN, ...headers } }, envOverride);
}

/** Opens a relay session end to end: ticket, upgrade, accepted client socket. */
export async function openRelay(
  key: string,
  mode: 'websocket' | 'text',
  envOverride: Partial<Env> = {},
  extra: Record<string, unknown> = {},
) {
  const t = await newTicket(key, mode, envOverride, extra);
  const res = await upgrade(t.path, {}, envOverride);
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  return { client: new RelayClient(res.webSocket), ticket: t.ticket, sessionId: t.sessionId, response: res };
}

/** Steers and reads the fake OpenAI Realtime server (test/fakes/openai-realtime-ws.js). */
export const fakeRealtime = {
  async behave(
    behaviour: { refuse?: number; dropAfterMs?: number; reply?: string; functionCall?: unknown; stepMs?: number } = {},
  ) {
    await fetch(`${env.OPENAI_BASE_URL}/__fake/realtime`, { method: 'POST', body: JSON.stringify(behaviour) });
  },
  /** The fake's connection whose first event was our config carrying `marker` (a unique persona). */
  async connection(marker: string) {
    const log = await (
      await fetch(`${env.OPENAI_BASE_URL}/__fake/log`)
    ).json<{
      realtime: Array<{
        received: string[];
        events: Array<{ type: string; session?: { instructions?: string } }>;
        session: Record<string, unknown>;
        closed: boolean;
      }>;
    }>();
    return log.realtime.find((c) => c.events.some((e) => e.session?.instructions?.includes(marker))) ?? null;
  },
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms until it gives a value, for at most `ms`. */
export async function until<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 8000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
