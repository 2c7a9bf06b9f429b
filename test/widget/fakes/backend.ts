import type {
  AvatarCredentialsResponse,
  AvatarSessionResponse,
  BootstrapResponse,
  SessionResponse,
} from '../../../worker/api-types.ts';
import { closeReason, readRelayClose } from '../../../widget/contract/relay.ts';
import { fakeMp3Bytes } from '../../fakes/mp3.js';
import { FakeAgoraTokens } from './agora.ts';
import { FakeOpenAIPeer } from './openai-peer.ts';

export const API = 'https://api.voice-buddy.test';
export const OPENAI = 'https://fake-openai.test';

export const baseConfig = (over: Partial<BootstrapResponse> = {}): BootstrapResponse => ({
  tenant: { id: 'studio', name: 'Ink & Iron' },
  branding: {
    name: 'Ink & Iron',
    primaryColor: '#1f2937',
    accentColor: null,
    logoUrl: null,
    greeting: 'Hi! What shall we design?',
  },
  modes: ['webrtc', 'websocket', 'text'],
  unavailableModes: {},
  defaultMode: 'webrtc',
  models: ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'],
  defaultModel: 'gpt-realtime-2.1',
  voice: 'marin',
  sandbox: false,
  ownerView: false,
  language: null,
  avatar: { available: false },
  tts: { available: false },
  flags: {},
  ...over,
});

type Reply = Response | (() => Response | Promise<Response>);
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/**
 * Stands in for the voice-buddy Worker and for OpenAI's /v1/realtime/calls inside the page, by routing `fetch`.
 * The Worker itself is tested in workerd and end to end; here the widget is under test.
 */
export class FakeBackend {
  readonly peers: FakeOpenAIPeer[] = [];
  readonly requests: Array<{ url: string; method: string; headers: Headers; body: string }> = [];
  config: BootstrapResponse = baseConfig();
  bootstrapReply: Reply | null = null;
  /** Scripted answers for the next session requests, then the default grant. */
  sessionReplies: Reply[] = [];
  /** Scripted answers for the next calls (SDP) requests, then a real answer from a new fake peer. */
  callsReplies: Reply[] = [];
  expiresInSeconds = 300;
  /** Answer hands-free as for a tenant that opted in to browser keys (an ephemeral key, OpenAI's calls URL). */
  clientSecretGrants = false;
  /** The next fake peers never complete ICE. */
  blockIce = false;
  /** Scripted answers for the next handoff requests, then a generation streamed by the test runner's fake SSE. */
  handoffReplies: Reply[] = [];
  /** Query options of that stream: { drop: '2' } or { fail: '1' }. */
  sseOptions: Record<string, string> = {};
  /** Answer hands-free requests as a server without an OpenAI key does. */
  sandbox = false;
  /** Scripted answers for the next POST /v1/avatar/session, then a new session. */
  avatarReplies: Reply[] = [];
  /** Scripted answers for the next POST /v1/tts, then the text's audio (a real MP3 of silence), streamed. */
  ttsReplies: Reply[] = [];
  /** Bytes and spacing of the streamed audio, as the Worker passes on what ElevenLabs streams. */
  ttsChunkBytes = 2048;
  ttsChunkDelayMs = 5;
  /** Audio streams the widget cancelled before their end. */
  ttsAborted = 0;
  /** Every POST /v1/tts body and when it arrived (performance.now()). */
  readonly ttsRequests: Array<{ text: string; uid?: string; at: number }> = [];
  /** Every avatar session created, and whether it was closed (DELETE, or the unload beacon's POST .../close). */
  readonly avatarSessions = new Map<string, { closedBy: 'delete' | 'beacon' | null }>();
  /** How long Akool's create takes behind the Worker (the bench gives it a real-world figure). */
  avatarCreateDelayMs = 0;
  /** Every POST /v1/avatar/session answer, in order. */
  readonly avatarAnswers: AvatarSessionResponse[] = [];
  /** How long the Agora tokens Akool mints live (about 5 minutes; tests shorten it to see renewals). */
  avatarTokenTtlMs = 300_000;
  /** The Worker's `readyTimeoutMs`: how long the widget waits for the avatar to appear. */
  avatarReadyTimeoutMs = 15_000;
  /** Scripted answers for the next GET .../credentials, then fresh credentials from "Akool". */
  credentialsReplies: Reply[] = [];
  private original = window.fetch;

  install(): this {
    this.original = window.fetch;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      if (url.origin !== API && url.origin !== OPENAI) return this.original.call(window, input, init);
      const body = req.method === 'GET' ? '' : await req.clone().text();
      this.requests.push({ url: req.url, method: req.method, headers: req.headers, body });
      return this.route(req, url, body);
    };
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
    for (const p of this.peers) p.close();
  }

  /**
   * Steers the fake relay served by the test runner (test/fakes/relay-plugin.js). A `drop` with one of the relay's
   * close codes does what worker/realtime/relay.ts does: an `error` event with the reason as its code, then the close
   * with `"<reason>: <sentence>"`.
   */
  static async relay(
    action: 'behaviour' | 'reset' | 'drop',
    body: { code?: number; reason?: string } | object = {},
  ): Promise<void> {
    const drop = body as { code?: number; reason?: string };
    const known = action === 'drop' && drop.code ? readRelayClose(drop.code, drop.reason ?? '') : null;
    if (known) {
      const sentence = `the relay closed the session (${known.reason})`;
      const type = known.close === 'upstream' ? 'server_error' : 'invalid_request_error';
      const error = { type, code: known.reason, message: sentence, param: null, event_id: null };
      body = {
        code: drop.code,
        reason: closeReason(known.reason, sentence),
        before: { type: 'error', event_id: 'event_relay_cap', error },
      };
    }
    await fetch(`/__fake-relay/${action}`, { method: 'POST', body: JSON.stringify(body) });
  }

  /**
   * Per relay connection: the client events received, what the fake refused (as OpenAI would), and whether it closed.
   */
  static async relayLog(): Promise<
    Array<{
      received: Array<{ type: string; [k: string]: unknown }>;
      refusals: Array<{ code: string; param: string | null }>;
      closed: boolean;
    }>
  > {
    const res = await fetch('/__fake-relay/log');
    return (
      (await res.json()) as {
        connections: Array<{
          received: Array<{ type: string }>;
          refusals: Array<{ code: string; param: string | null }>;
          closed: boolean;
        }>;
      }
    ).connections;
  }

  get latestPeer(): FakeOpenAIPeer {
    const peer = this.peers.at(-1);
    if (!peer) throw new Error('no peer yet');
    return peer;
  }

  count(path: string): number {
    return this.requests.filter((r) => new URL(r.url).pathname === path).length;
  }

  private async route(req: Request, url: URL, body: string): Promise<Response> {
    // The unload beacon cannot send headers: its key is in the query.
    const keyInUrl =
      (url.pathname.endsWith('/close') || url.pathname === '/v1/realtime/calls') && url.searchParams.get('key');
    if (url.origin === API && !req.headers.get('x-voice-buddy-key') && !keyInUrl) {
      return json({ error: { code: 'unknown_key', message: 'Send the key', requestId: 'r' } }, 401);
    }
    if (url.pathname === '/v1/bootstrap') {
      if (this.bootstrapReply)
        return typeof this.bootstrapReply === 'function' ? this.bootstrapReply() : this.bootstrapReply.clone();
      return json(this.config, 200, { ETag: '"cfg"' });
    }
    if (url.pathname === '/v1/realtime/session') {
      const scripted = this.sessionReplies.shift();
      if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
      const mode = (JSON.parse(body) as { mode: string }).mode;
      const expiresAt = Math.floor(Date.now() / 1000) + this.expiresInSeconds;
      const grant: SessionResponse = this.clientSecretGrants
        ? {
            mode: 'webrtc',
            sessionId: crypto.randomUUID(),
            clientSecret: { value: `ek_test_${this.requests.length}`, expiresAt },
            expiresAt,
            model: 'gpt-realtime-2.1',
            callsUrl: `${OPENAI}/v1/realtime/calls`,
            session: {
              model: 'gpt-realtime-2.1',
              voice: 'marin',
              turnDetection: 'semantic_vad',
              tools: ['extract_keywords'],
            },
          }
        : {
            mode: 'webrtc',
            sessionId: crypto.randomUUID(),
            ticket: `call-ticket-${this.requests.length}`,
            expiresAt,
            model: 'gpt-realtime-2.1',
            callsUrl: `${API}/v1/realtime/calls?key=pk_test`,
            session: {
              model: 'gpt-realtime-2.1',
              voice: 'marin',
              turnDetection: 'semantic_vad',
              tools: ['extract_keywords'],
            },
          };
      if (mode === 'websocket' || mode === 'text') {
        const relay: SessionResponse = {
          mode,
          sessionId: crypto.randomUUID(),
          ticket: `ticket-${this.requests.length}`,
          wsUrl: `ws://${location.host}/fake-relay?mode=${mode}&ticket=ticket-${this.requests.length}`,
          expiresAt: Math.floor(Date.now() / 1000) + 60,
          model: 'gpt-realtime-2.1',
          sandbox: this.sandbox,
        };
        return json(relay, 201);
      }
      if (this.sandbox)
        return json(
          { mode: 'sandbox', requestedMode: 'webrtc', sessionId: crypto.randomUUID(), reason: 'no key' },
          201,
        );
      return json(grant, 201);
    }
    if (url.pathname === '/v1/avatar/session' && req.method === 'POST') {
      const scripted = this.avatarReplies.shift();
      if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
      if (this.avatarCreateDelayMs) await new Promise((r) => setTimeout(r, this.avatarCreateDelayMs));
      const sessionId = `av_${this.avatarSessions.size + 1}`;
      this.avatarSessions.set(sessionId, { closedBy: null });
      const session: AvatarSessionResponse = {
        sessionId,
        agora: this.agoraCredentials(sessionId),
        expiresAt: Math.floor(Date.now() / 1000) + 600,
        readyTimeoutMs: this.avatarReadyTimeoutMs,
      };
      this.avatarAnswers.push(session);
      return json(session, 201);
    }
    const renew = /^\/v1\/avatar\/session\/([^/]+)\/credentials$/.exec(url.pathname);
    if (renew && req.method === 'GET') {
      const sessionId = decodeURIComponent(renew[1]!);
      const session = this.avatarSessions.get(sessionId);
      if (!session)
        return json({ error: { code: 'not_found', message: 'No such avatar session', requestId: 'r' } }, 404);
      const scripted = this.credentialsReplies.shift();
      if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
      if (session.closedBy) return workerError(410, 'avatar_session_gone', 'This avatar session is over');
      const body: AvatarCredentialsResponse = { sessionId, agora: this.agoraCredentials(sessionId), status: 'ready' };
      return json(body, 200);
    }
    const avatarClose = /^\/v1\/avatar\/session\/([^/]+)(\/close)?$/.exec(url.pathname);
    if (avatarClose && (req.method === 'DELETE' || (avatarClose[2] && req.method === 'POST'))) {
      const sessionId = decodeURIComponent(avatarClose[1]!);
      const session = this.avatarSessions.get(sessionId);
      if (!session)
        return json({ error: { code: 'not_found', message: 'No such avatar session', requestId: 'r' } }, 404);
      session.closedBy ??= avatarClose[2] ? 'beacon' : 'delete';
      const closed = {
        sessionId,
        status: 'ended',
        endedAt: new Date().toISOString(),
        endReason: 'client',
        durationSeconds: 1,
      };
      return json(closed, avatarClose[2] ? 202 : 200);
    }
    if (url.pathname === '/v1/tts' && req.method === 'POST') return this.tts(req, body);
    if (url.pathname === '/v1/handoff') {
      const scripted = this.handoffReplies.shift();
      if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
      const id = `gen-${crypto.randomUUID()}`;
      const events = new URL('/__fake-sse', location.href);
      events.searchParams.set('id', id);
      for (const [k, v] of Object.entries(this.sseOptions)) events.searchParams.set(k, v);
      return json(
        { generationId: id, eventsUrl: events.toString(), statusUrl: `${API}/v1/generations/${id}`, target: 'sandbox' },
        202,
      );
    }
    // The Worker's calls endpoint (the default) and OpenAI's (a tenant that opted in to browser keys): either way the
    // offer meets OpenAI's side of the call, played by a second peer connection in the page.
    if (url.pathname === '/v1/realtime/calls') {
      const scripted = this.callsReplies.shift();
      if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
      const bearer = url.origin === API ? /^Bearer call-ticket-/ : /^Bearer ek_/;
      if (!bearer.test(req.headers.get('authorization') ?? '')) {
        return json(
          {
            error: {
              message: 'Missing bearer or basic authentication in header',
              type: 'invalid_request_error',
              code: null,
            },
          },
          401,
        );
      }
      if (req.headers.get('content-type') !== 'application/sdp') {
        return json({ error: { message: 'Unsupported content type', type: 'invalid_request_error' } }, 400);
      }
      const peer = new FakeOpenAIPeer();
      peer.blockIce = this.blockIce;
      this.peers.push(peer);
      const answer = await peer.answer(body);
      const created: Record<string, unknown> = {
        type: 'session.created',
        session: { type: 'realtime', id: 'sess_1', object: 'realtime.session', model: 'gpt-realtime-2.1' },
      };
      setTimeout(() => void peer.opened().then(() => peer.send(created)), 0);
      return new Response(answer, {
        status: 201,
        headers: { 'Content-Type': 'application/sdp', Location: `/v1/realtime/calls/rtc_${this.peers.length}` },
      });
    }
    return json({ error: { code: 'not_found', message: `No route ${url.pathname}`, requestId: 'r' } }, 404);
  }

  /** What Akool mints for the session: a new token each time, for the same channel and uid. */
  private agoraCredentials(sessionId: string): AvatarSessionResponse['agora'] {
    const channel = `channel_${sessionId}`;
    return {
      appId: 'agora-app-id',
      channel,
      token: FakeAgoraTokens.issue(channel, 1001, this.avatarTokenTtlMs),
      uid: 1001,
    };
  }

  /** As strict as the Worker's route: JSON, 1-2000 characters of text, nothing else but `voice` and `uid`. */
  private tts(req: Request, raw: string): Response | Promise<Response> {
    if (!(req.headers.get('content-type') ?? '').startsWith('application/json'))
      return workerError(415, 'unsupported_media_type', 'Send JSON');
    let body: { text?: unknown; uid?: string; voice?: string };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return workerError(400, 'invalid_json', 'Not JSON');
    }
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    const extra = Object.keys(body).filter((k) => !['text', 'voice', 'uid'].includes(k));
    if (!text || text.length > 2000 || extra.length) return workerError(400, 'invalid_request', 'Invalid body');
    this.ttsRequests.push({ text, uid: body.uid, at: performance.now() });
    const scripted = this.ttsReplies.shift();
    if (scripted) return typeof scripted === 'function' ? scripted() : scripted;
    const audio = fakeMp3Bytes(text) as Uint8Array;
    const size = this.ttsChunkBytes;
    const gap = this.ttsChunkDelayMs;
    let offset = 0;
    let aborted = false;
    // Like a real fetch: aborting the request's signal ends its body with an AbortError.
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        req.signal.addEventListener('abort', () => {
          if (offset >= audio.length) return;
          aborted = true;
          this.ttsAborted++;
          controller.error(new DOMException('The user aborted a request.', 'AbortError'));
        });
      },
      async pull(controller) {
        if (offset > 0 && gap) await new Promise((r) => setTimeout(r, gap));
        if (aborted) return;
        controller.enqueue(audio.slice(offset, offset + size));
        offset += size;
        if (offset >= audio.length) controller.close();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: { 'Content-Type': 'audio/mpeg', 'Cache-Control': 'no-store' },
    });
  }
}

export const openAIError = (status: number, message: string) =>
  json({ error: { message, type: 'invalid_request_error', code: null, param: null } }, status);
export const workerError = (status: number, code: string, message: string) =>
  json({ error: { code, message, requestId: 'req-1' } }, status);
