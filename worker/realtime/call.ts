import { DurableObject } from 'cloudflare:workers';
import type { RealtimeResponseUsage as Usage } from 'openai/resources/realtime/realtime';
import { recordFor } from '../analytics/record.ts';
import { usageTokens } from '../../widget/contract/openai-usage.ts';
import { addResponse, emptyUsage } from '../../widget/contract/usage.ts';
import { addUsage, emptyTokens, tokensEvent } from '../analytics/usage.ts';
import type { Env } from '../env.ts';
import { hangupCall, openaiBase } from '../providers/openai.ts';
import { providerErrorFields, upstreamTimeout } from '../providers/upstream.ts';

/** What the call's object needs to hold a hands-free call to its tenant's rules. */
export interface CallInfo {
  callId: string;
  tenantId: string;
  sessionId: string;
  model: string;
  startedAt: number;
  maxSeconds: number;
  /** The session the Worker created the call with: a client that changes these ends the call. */
  instructions: string;
  tools: string[];
}

type EndReason = 'session_max_seconds' | 'session_tampered' | 'sideband_unavailable' | 'call_ended';

const SIDEBAND_ATTEMPTS = 3;

/**
 * One object per hands-free call (named by OpenAI's call id). It holds the call's sideband WebSocket for the call's
 * life (`/v1/realtime?call_id=`, server key), which sees every server event of the call:
 * - the tenant's `sessionMaxSeconds` is an alarm that hangs the call up;
 * - a `session.updated` whose instructions or tools are not the tenant's (a browser rewrote them over the data
 *   channel) hangs the call up at once;
 * - usage comes from each `response.done`; one `call_end` line is logged and the session row updated at the end.
 * A call whose sideband cannot be opened is hung up: nothing would hold it to the tenant's limits.
 */
export class RealtimeCall extends DurableObject<Env> {
  private info: CallInfo | null = null;
  private socket: WebSocket | null = null;
  private ended = false;
  private readonly stats = { events: 0, ...emptyUsage() };
  private readonly upstreamErrors: Array<{ code: string | null; param: string | null }> = [];

  async start(info: CallInfo): Promise<void> {
    this.info = info;
    await this.ctx.storage.put('info', info);
    await this.ctx.storage.setAlarm(info.startedAt + info.maxSeconds * 1000);
    console.log(
      JSON.stringify({
        event: 'call_start',
        tenant: info.tenantId,
        mode: 'webrtc',
        sessionId: info.sessionId,
        model: info.model,
        callId: info.callId,
      }),
    );
    this.ctx.waitUntil(this.attach());
  }

  /** For tests and the admin's curiosity: whether the sideband is attached, and what it counted. */
  status(): { attached: boolean; ended: boolean; stats: RealtimeCall['stats'] } {
    return { attached: this.socket !== null, ended: this.ended, stats: { ...this.stats } };
  }

  private async attach(): Promise<void> {
    const info = this.info!;
    for (let attempt = 1; attempt <= SIDEBAND_ATTEMPTS && !this.ended; attempt++) {
      try {
        // No abort signal: it would end the socket too, not only the handshake. A late socket is closed instead.
        const attempt = fetch(`${openaiBase(this.env)}/v1/realtime?call_id=${encodeURIComponent(info.callId)}`, {
          headers: { Upgrade: 'websocket', Authorization: `Bearer ${this.env.OPENAI_API_KEY}` },
        });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const res = await Promise.race([
          attempt,
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), upstreamTimeout(this.env)))),
        ]);
        clearTimeout(timer);
        if (!res) {
          attempt.then(
            (late) => late.webSocket?.close(1000, 'gave up'),
            () => {},
          );
          continue;
        }
        const ws = res.webSocket;
        if (res.status === 101 && ws) {
          ws.accept();
          this.listen(ws);
          return;
        }
        const fields = await providerErrorFields(res);
        if (fields.code) this.upstreamErrors.push({ code: fields.code, param: fields.param });
        // The call is gone already (the visitor hung up before we attached): nothing to hold.
        if (res.status === 404) return this.end('call_ended', 'upstream', false);
      } catch {
        /* unreachable or timed out: try again */
      }
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
    await this.end('sideband_unavailable', 'relay', true);
  }

  private listen(ws: WebSocket) {
    this.socket = ws;
    ws.addEventListener('message', (msg) => {
      if (typeof msg.data !== 'string') return;
      this.stats.events++;
      let event: {
        type?: string;
        session?: { instructions?: string; tools?: Array<{ name?: string }> };
        response?: { usage?: Usage };
        error?: { code?: unknown; param?: unknown };
      };
      try {
        event = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (event.type === 'session.updated' && this.tampered(event.session))
        void this.end('session_tampered', 'relay', true);
      else if (event.type === 'response.done') this.count(event.response?.usage);
      else if (event.type === 'error' && this.upstreamErrors.length < 20) {
        const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 80) : null);
        this.upstreamErrors.push({ code: str(event.error?.code), param: str(event.error?.param) });
      }
    });
    // OpenAI closes the sideband when the call ends, however it ended (the visitor left, a hangup).
    ws.addEventListener('close', () => void this.end('call_ended', 'upstream', false));
    ws.addEventListener('error', () => void this.end('call_ended', 'upstream', false));
  }

  private tampered(session: { instructions?: string; tools?: Array<{ name?: string }> } | undefined): boolean {
    const info = this.info;
    if (!info || !session) return false;
    if (session.instructions !== undefined && session.instructions !== info.instructions) return true;
    if (session.tools !== undefined) {
      const names = session.tools.map((t) => t.name ?? '').sort();
      if (names.join('\n') !== [...info.tools].sort().join('\n')) return true;
    }
    return false;
  }

  private tokens = emptyTokens();

  private count(usage: Usage | undefined) {
    // With the widget's addResponse (widget/contract/usage.ts). Here a response.done without usage still counts as
    // a response (it adds no tokens); the widget's session adds only responses that carry usage.
    Object.assign(this.stats, addResponse(this.stats, usage ? usageTokens(usage) : {}));
    addUsage(this.tokens, usage);
  }

  override async alarm(): Promise<void> {
    this.info ??= (await this.ctx.storage.get<CallInfo>('info')) ?? null;
    if (!this.info) return;
    await this.end('session_max_seconds', 'relay', true);
  }

  private async end(reason: EndReason, closedBy: 'relay' | 'upstream', hangup: boolean): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const info = this.info ?? (await this.ctx.storage.get<CallInfo>('info')) ?? null;
    let hungUp: boolean | null = null;
    if (hangup && info) {
      hungUp = await hangupCall(this.env, info.callId).then(
        () => true,
        () => false,
      );
    }
    try {
      this.socket?.close(1000, 'call ended');
    } catch {
      /* already closed */
    }
    this.socket = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    if (!info) return;
    const durationMs = Date.now() - info.startedAt;
    console.log(
      JSON.stringify({
        event: 'call_end',
        tenant: info.tenantId,
        mode: 'webrtc',
        sessionId: info.sessionId,
        model: info.model,
        callId: info.callId,
        durationMs,
        endReason: reason,
        closedBy,
        hungUp,
        ...this.stats,
        upstreamErrors: this.upstreamErrors,
      }),
    );
    recordFor(
      this.env,
      (p) => this.ctx.waitUntil(p),
      info.tenantId,
      {
        name: 'call_end',
        mode: 'webrtc',
        ms: durationMs,
        reason,
        ok: reason === 'call_ended',
      },
      ...tokensEvent(this.tokens, 'webrtc'),
    );
    await this.env.DB.prepare(
      'UPDATE sessions SET ended_at = ?, end_reason = ?, input_tokens = ?, output_tokens = ? WHERE id = ?',
    )
      .bind(new Date().toISOString(), reason, this.stats.inputTokens, this.stats.outputTokens, info.sessionId)
      .run()
      .catch((e: Error) => console.error('call record failed', { sessionId: info.sessionId, error: e.message }));
  }
}
