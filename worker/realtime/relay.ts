import { recordFor, type Background } from '../analytics/record.ts';
import { addUsage, emptyTokens, reasonCode, tokensEvent, usageOfFrame } from '../analytics/usage.ts';
import {
  CLOSE_NORMAL,
  closeReason,
  RELAY_CLOSE,
  type RelayClose,
  type RelayCloseReason,
} from '../../widget/contract/relay.ts';
import type { Env } from '../env.ts';
import { utcMonth } from '../limits/month.ts';
import { limitsStub } from '../limits/quota.ts';
import { isSandbox, openaiBase } from '../providers/openai.ts';
import { providerErrorFields, upstreamTimeout } from '../providers/upstream.ts';
import type { Tenant } from '../tenants/model.ts';
import { checkClientEvent, errorEvent, type Refusal } from './client-events.ts';
import { SandboxSocket } from './sandbox.ts';
import { buildSessionConfig } from './session-config.ts';
import type { TicketClaims } from './ticket.ts';

/** Close codes the relay uses towards the browser: the contract shared with the widget (README, "Relay"). */
const CLOSE = {
  normal: CLOSE_NORMAL,
  ...(Object.fromEntries(Object.entries(RELAY_CLOSE).map(([k, v]) => [k, v.code])) as {
    [K in RelayClose]: (typeof RELAY_CLOSE)[K]['code'];
  }),
};

/**
 * The largest client frame the relay reads. OpenAI takes up to 15 MiB an event, but Workers in production close a
 * socket on a message over 1 MiB and parsing a large frame costs the isolate; push-to-talk sends about 10 KB chunks.
 */
export const MAX_CLIENT_FRAME_BYTES = 256 * 1024;

/** What the relay needs of its upstream: an open socket that speaks Realtime server events (OpenAI or the sandbox). */
export interface UpstreamSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', handler: (event: MessageEvent) => void): void;
  addEventListener(type: 'close', handler: (event: CloseEvent) => void): void;
  addEventListener(type: 'error', handler: (event: Event) => void): void;
}

type Opened =
  | { ok: true; socket: UpstreamSocket }
  | { ok: false; refusal: Refusal; status?: number; providerCode?: string | null; providerParam?: string | null };

/** Opens the server-to-server Realtime WebSocket with the server key (Workers' outbound WebSocket: fetch + Upgrade). */
async function openOpenAI(env: Env, model: string): Promise<Opened> {
  const url = `${openaiBase(env)}/v1/realtime?model=${encodeURIComponent(model)}`;
  const attempt = fetch(url, { headers: { Upgrade: 'websocket', Authorization: `Bearer ${env.OPENAI_API_KEY}` } });
  const ms = upstreamTimeout(env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  let res: Response | 'timeout';
  try {
    res = await Promise.race([attempt, timeout]);
  } catch {
    return {
      ok: false,
      refusal: { code: 'upstream_unreachable', message: 'The voice service could not be reached', param: null },
    };
  } finally {
    clearTimeout(timer);
  }
  if (res === 'timeout') {
    // A socket that opens after we gave up must not stay open, billing nobody's session.
    attempt.then(
      (late) => late.webSocket?.close(1000, 'gave up'),
      () => {},
    );
    return {
      ok: false,
      refusal: {
        code: 'upstream_timeout',
        message: `The voice service did not answer within ${Math.round(ms / 1000)} s`,
        param: null,
      },
    };
  }
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) {
    const { code: providerCode, param: providerParam } = await providerErrorFields(res);
    return {
      ok: false,
      status: res.status,
      providerCode,
      providerParam,
      refusal: {
        code: 'upstream_refused',
        message: `The voice service refused the connection (HTTP ${res.status})`,
        param: null,
      },
    };
  }
  ws.accept();
  return { ok: true, socket: ws };
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const NON_ASCII = /[^\x00-\x7f]/;
const textBytes = (s: string): number => {
  // Audio events are base64 (ASCII): a native scan settles them without a per-character loop in JavaScript.
  if (!NON_ASCII.test(s)) return s.length;
  // UTF-8 length without allocating a copy of the event.
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
};
const frameBytes = (data: unknown): number =>
  typeof data === 'string' ? textBytes(data) : data instanceof ArrayBuffer ? data.byteLength : 0;
/**
 * A client frame's size, scanned once: UTF-8 is never shorter than its UTF-16 length, so a string longer than the cap
 * is over it (Infinity) without a scan.
 */
const clientFrameBytes = (data: unknown): number =>
  typeof data === 'string' && data.length > MAX_CLIENT_FRAME_BYTES ? Infinity : frameBytes(data);

/** Upstream error events are rare and small: a cheap look at the frame's start finds them without parsing audio. */
function upstreamError(data: unknown): { code: string | null; param: string | null } | null {
  if (typeof data !== 'string' || data.length > 8192 || !data.slice(0, 80).includes('"type":"error"')) return null;
  try {
    const e = (JSON.parse(data) as { error?: { code?: unknown; param?: unknown } }).error;
    return { code: typeof e?.code === 'string' ? e.code : null, param: typeof e?.param === 'string' ? e.param : null };
  } catch {
    return null;
  }
}

export interface RelayContext {
  env: Env;
  tenant: Tenant;
  /** A relay ticket's claims (a hands-free ticket is refused at the upgrade). */
  claims: TicketClaims & { mode: 'websocket' | 'text' };
  /** Keeps the analytics send alive after the session (the request's waitUntil). */
  background?: Background;
}

/**
 * Relays one accepted browser WebSocket to OpenAI (or to the sandbox responder) until either side ends.
 * The voice-session unit was taken from the monthly quota when the ticket was issued, so nothing is counted here.
 */
export function startRelay(client: WebSocket, { env, tenant, claims, background }: RelayContext): void {
  const started = Date.now();
  const tokenTotals = emptyTokens();
  const limits = tenant.limits;
  const sandbox = isSandbox(env);
  const stats = { bytesIn: 0, bytesOut: 0, eventsIn: 0, eventsOut: 0, refused: 0, stripped: 0 };
  /** OpenAI's error events of this session, by code and param only (never their message: it may quote the visitor). */
  const upstreamErrors: Array<{ code: string | null; param: string | null }> = [];
  let upstreamFailure: Record<string, unknown> = {};
  const queue: string[] = [];
  let upstream: UpstreamSocket | null = null;
  let ended = false;
  let tokens = limits.eventsPerSecond;
  let lastRefill = started;

  const log = (event: string, extra: Record<string, unknown> = {}) =>
    console.log(
      JSON.stringify({
        event,
        tenant: tenant.id,
        mode: claims.mode,
        sessionId: claims.sid,
        model: claims.model,
        sandbox,
        ...extra,
      }),
    );

  const sendClient = (data: string) => {
    try {
      client.send(data);
    } catch {
      /* the client is gone; its close event ends the session */
    }
  };

  const end = (
    code: number,
    reason: string,
    closedBy: 'client' | 'relay' | 'upstream',
    error?: { refusal: Refusal; type?: 'server_error' },
  ) => {
    if (ended) return;
    ended = true;
    clearTimeout(durationTimer);
    if (error) sendClient(JSON.stringify(errorEvent(error.refusal, null, error.type ?? 'invalid_request_error')));
    try {
      client.close(code, reason.slice(0, 120));
    } catch {
      /* already closed */
    }
    try {
      upstream?.close(1000, 'relay session ended');
    } catch {
      /* already closed */
    }
    log('relay_end', {
      durationMs: Date.now() - started,
      closeCode: code,
      closeReason: reason,
      closedBy,
      ...stats,
      upstreamErrors,
      ...upstreamFailure,
    });
    if (background) {
      recordFor(
        env,
        background,
        tenant.id,
        {
          name: 'relay_end',
          mode: claims.mode,
          ms: Date.now() - started,
          bytes: stats.bytesIn + stats.bytesOut,
          refused: stats.refused,
          reason: reasonCode(reason),
          ok: closedBy === 'client',
        },
        ...tokensEvent(tokenTotals, claims.mode),
      );
    }
  };

  const cap = (code: number, key: RelayCloseReason, message: string) =>
    end(code, closeReason(key, message), 'relay', { refusal: { code: key, message, param: null } });

  const overBytes = (n: number) => stats.bytesIn + stats.bytesOut + n > limits.sessionMaxBytes;

  const durationTimer = setTimeout(
    () => cap(CLOSE.duration, 'session_max_seconds', `the session reached its limit of ${limits.sessionMaxSeconds} s`),
    limits.sessionMaxSeconds * 1000,
  );

  client.accept();
  log('relay_start');

  client.addEventListener('message', (msg) => {
    if (ended) return;
    stats.eventsIn++;
    // Before anything reads the frame: a huge one is refused without being scanned twice or parsed.
    const bytes = clientFrameBytes(msg.data);
    if (bytes > MAX_CLIENT_FRAME_BYTES) {
      return end(CLOSE.frameTooLarge, `frame_too_large: a client frame over ${MAX_CLIENT_FRAME_BYTES} bytes`, 'relay', {
        refusal: {
          code: 'frame_too_large',
          message: `Client events may be at most ${MAX_CLIENT_FRAME_BYTES} bytes through this relay; send audio in smaller chunks`,
          param: null,
        },
      });
    }
    const now = Date.now();
    tokens = Math.min(limits.eventsPerSecond, tokens + ((now - lastRefill) * limits.eventsPerSecond) / 1000);
    lastRefill = now;
    if (tokens < 1)
      return cap(
        CLOSE.rate,
        'events_per_second',
        `more than ${limits.eventsPerSecond} events a second from the client`,
      );
    tokens -= 1;
    if (overBytes(bytes))
      return cap(CLOSE.bytes, 'session_max_bytes', `the session reached its limit of ${limits.sessionMaxBytes} bytes`);
    stats.bytesIn += bytes;
    if (typeof msg.data !== 'string') {
      return end(CLOSE.badEvent, 'bad_event: binary frames are not Realtime events', 'relay', {
        refusal: { code: 'bad_event', message: 'Send Realtime events as JSON text frames', param: null },
      });
    }
    const verdict = checkClientEvent(msg.data);
    if (verdict.kind === 'malformed') {
      return end(CLOSE.badEvent, `bad_event: ${verdict.reason}`, 'relay', {
        refusal: { code: 'bad_event', message: `Not a Realtime event: ${verdict.reason}`, param: null },
      });
    }
    if (verdict.kind === 'refused') {
      stats.refused++;
      return sendClient(JSON.stringify(errorEvent(verdict.refusal, verdict.eventId)));
    }
    if (verdict.stripped) stats.stripped += verdict.stripped.length;
    const data = verdict.rewritten ?? msg.data;
    if (!upstream) return void queue.push(data);
    try {
      upstream.send(data);
    } catch {
      /* the upstream is gone; its close event ends the session */
    }
  });
  // The client's own close reason is its text, not ours: only its code is logged.
  client.addEventListener('close', (e) => end(e.code, 'client closed', 'client'));
  client.addEventListener('error', () => end(CLOSE.internal, 'relay_error: the client socket failed', 'client'));

  const attach = (socket: UpstreamSocket) => {
    if (ended) return socket.close(1000, 'relay session ended');
    socket.addEventListener('message', (msg) => {
      if (ended) return;
      const data = msg.data as string | ArrayBuffer;
      const bytes = frameBytes(data);
      if (overBytes(bytes))
        return cap(
          CLOSE.bytes,
          'session_max_bytes',
          `the session reached its limit of ${limits.sessionMaxBytes} bytes`,
        );
      stats.bytesOut += bytes;
      stats.eventsOut++;
      addUsage(tokenTotals, usageOfFrame(data));
      const err = upstreamError(data);
      if (err && upstreamErrors.length < 20) upstreamErrors.push(err);
      sendClient(data as string);
    });
    const dropped = (why: string) =>
      end(CLOSE.upstream, `upstream_closed: ${why}`, 'upstream', {
        refusal: {
          code: 'upstream_closed',
          message: 'The voice service ended the session; start a new one',
          param: null,
        },
        type: 'server_error',
      });
    socket.addEventListener('close', (e) => dropped(`the voice service closed the connection (${e.code})`));
    socket.addEventListener('error', () => dropped('the connection to the voice service failed'));
    // The tenant's session config goes first, so nothing a client queued can run under another configuration.
    const config = buildSessionConfig(tenant, {
      mode: claims.mode,
      model: claims.model,
      voice: claims.voice,
      language: claims.lang,
    });
    socket.send(JSON.stringify({ type: 'session.update', event_id: 'event_relay_config', session: config }));
    for (const data of queue.splice(0)) socket.send(data);
    upstream = socket;
  };

  if (sandbox) {
    attach(new SandboxSocket({ mode: claims.mode, model: claims.model, voice: claims.voice }));
    return;
  }
  // The session never started: the unit taken when the ticket was issued goes back, once (the ticket was single use).
  const giveBack = async () => {
    try {
      await limitsStub(env, tenant.id).release('voice_session', claims.mon ?? utcMonth());
      upstreamFailure = { ...upstreamFailure, unitReturned: true };
    } catch {
      upstreamFailure = { ...upstreamFailure, unitReturned: false };
    }
  };
  openOpenAI(env, claims.model).then(
    async (opened) => {
      if (opened.ok) return attach(opened.socket);
      upstreamFailure = {
        upstreamStatus: opened.status ?? null,
        upstreamCode: opened.providerCode ?? null,
        upstreamParam: opened.providerParam ?? null,
      };
      await giveBack();
      end(CLOSE.upstream, `${opened.refusal.code}: ${opened.refusal.message}`, 'upstream', {
        refusal: opened.refusal,
        type: 'server_error',
      });
    },
    async () => {
      await giveBack();
      end(CLOSE.internal, 'relay_error: the relay failed to connect', 'relay');
    },
  );
}
