import { usageTokens } from '../contract/openai-usage.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Placement, SessionStore, Status } from '../state/session-store.ts';
import { Emitter } from './emitter.ts';
import { ResponseGate } from './responses.ts';
import { announcesClose, realtimeMessageCode } from './server-errors.ts';
import type { SessionEvents } from './session-events.ts';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeTransport } from './transport.ts';

/** The id of a message the visitor typed: the server keeps it, so the conversation's order refers to it. */
export const localItemId = () => `local-${crypto.getRandomValues(new Uint32Array(2)).join('')}`.slice(0, 32);

/** Where WebSocket audio is played; it knows how much of each item was actually heard. */
export interface AudioSink {
  enqueue(itemId: string, base64: string): void;
  clear(): { itemId: string; playedMs: number } | null;
  readonly playing: boolean;
  onIdle(cb: () => void): () => void;
}

/**
 * The conversation protocol on top of any transport, and the only code that reads server events: it turns them
 * into transcript, usage and rate limits in the store, and into semantic events (`SessionEvents`: assistant text,
 * reply done, barge-in, function calls, usage, errors, status) that the avatar, the speaker and the keywords follow.
 * It sends the client events of barge-in, text turns and function-call answers. Every `response.create` goes
 * through one gate, so there is never a second response while one is in progress.
 */
export class RealtimeSession {
  private readonly events = new Emitter<SessionEvents>();
  private speaking = false;
  private readonly offs: Array<() => void>;
  private readonly responses: ResponseGate;
  /** The conversation's order as the server reports it: each item's previous_item_id. */
  private readonly previous = new Map<string, string | null>();

  constructor(
    private readonly store: SessionStore,
    private readonly transport: RealtimeTransport,
    /** WebSocket transports: the model's audio deltas go here. */
    private readonly audio?: AudioSink,
  ) {
    this.responses = new ResponseGate((event) => this.transport.send(event));
    this.offs = [
      transport.on('event', (e) => this.handle(e)),
      audio?.onIdle(() => {
        this.speaking = false;
        if (!this.responses.responding) this.status('listening');
      }) ?? (() => {}),
    ];
  }

  on<K extends keyof SessionEvents>(type: K, listener: (payload: SessionEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /** Whether the model is producing or playing a reply that a visitor could interrupt. */
  get busy(): boolean {
    return this.responses.responding || this.speaking;
  }

  /** Asks the model to answer, once the response in progress (if any) has ended. */
  requestResponse(opts: { user?: boolean } = {}): void {
    this.responses.request(opts);
  }

  send(event: RealtimeClientEvent): void {
    this.transport.send(event);
  }

  private status(status: Status) {
    this.events.emit('status', status);
  }

  /**
   * Where an item's entry goes: after the nearest earlier item that has one (tool calls have none). Transcription
   * runs apart from the reply, so a visitor's words can arrive after the answer to them; the order stays the
   * conversation's.
   */
  private anchor(itemId: string): Placement {
    const shown = new Set(this.store.$transcript.get().map((e) => e.id));
    const seen = new Set<string>();
    let at = this.previous.get(itemId) ?? null;
    while (at && !shown.has(at) && !seen.has(at)) {
      seen.add(at);
      at = this.previous.get(at) ?? null;
    }
    return { after: at && shown.has(at) ? at : null, isItem: (id) => this.previous.has(id) };
  }

  handle(event: RealtimeServerEvent): void {
    const s = this.store;
    switch (event.type) {
      case 'session.created':
        this.status('listening');
        break;
      case 'input_audio_buffer.speech_started':
        this.interrupt('speech');
        this.status('listening');
        break;
      case 'input_audio_buffer.speech_stopped':
        this.status('thinking');
        break;
      case 'input_audio_buffer.committed':
        // The visitor's turn takes its place now; its words follow when transcription has them.
        this.previous.set(event.item_id, event.previous_item_id ?? null);
        s.reserve(event.item_id, 'user', this.anchor(event.item_id));
        break;
      case 'conversation.item.added':
        if (event.item.id) this.previous.set(event.item.id, event.previous_item_id ?? null);
        break;
      case 'conversation.item.input_audio_transcription.delta':
        s.appendDelta(event.item_id, 'user', event.delta ?? '', this.anchor(event.item_id));
        break;
      case 'conversation.item.input_audio_transcription.completed':
        s.setText(event.item_id, 'user', event.transcript.trim() || '…', true, this.anchor(event.item_id));
        break;
      case 'conversation.item.input_audio_transcription.failed':
        s.setText(event.item_id, 'user', '(not understood)', true, this.anchor(event.item_id));
        break;
      case 'response.created':
        this.responses.created();
        this.status('thinking');
        break;
      case 'response.output_audio.delta':
        if (this.audio) {
          this.audio.enqueue(event.item_id, event.delta);
          if (!this.speaking) {
            this.speaking = true;
            this.status('speaking');
          }
        }
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta': {
        s.appendDelta(event.item_id, 'assistant', event.delta, this.anchor(event.item_id));
        const source = event.type === 'response.output_text.delta' ? 'text' : 'audio';
        this.events.emit('assistant-delta', {
          responseId: event.response_id,
          itemId: event.item_id,
          delta: event.delta,
          source,
        });
        break;
      }
      case 'response.output_audio_transcript.done':
        s.setText(event.item_id, 'assistant', event.transcript, true, this.anchor(event.item_id));
        this.events.emit('assistant-done', {
          responseId: event.response_id,
          itemId: event.item_id,
          text: event.transcript,
          source: 'audio',
        });
        break;
      case 'response.output_text.done':
        s.setText(event.item_id, 'assistant', event.text, true, this.anchor(event.item_id));
        this.events.emit('assistant-done', {
          responseId: event.response_id,
          itemId: event.item_id,
          text: event.text,
          source: 'text',
        });
        break;
      case 'output_audio_buffer.started':
        this.speaking = true;
        this.status('speaking');
        break;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        this.speaking = false;
        if (!this.responses.responding) this.status('listening');
        break;
      case 'response.function_call_arguments.done':
        this.responses.called(event.call_id);
        this.events.emit('function-call', {
          name: event.name,
          callId: event.call_id,
          arguments: event.arguments,
          answer: (output, respond = true) => this.answerFunctionCall(event.call_id, output, respond),
        });
        break;
      case 'response.done': {
        const u = event.response.usage;
        if (u) {
          const usage = usageTokens(u);
          s.addUsage(usage);
          this.events.emit('usage', usage);
        }
        if (!this.speaking) this.status('listening');
        this.events.emit('reply-done', { responseId: event.response.id ?? null });
        // Last: the gate may send the held response.create, whose events follow this one.
        this.responses.done();
        break;
      }
      case 'rate_limits.updated':
        s.$rateLimits.set(
          (event.rate_limits ?? []).map((r) => ({
            name: r.name ?? 'limit',
            limit: r.limit ?? 0,
            remaining: r.remaining ?? 0,
            resetSeconds: r.reset_seconds ?? 0,
          })),
        );
        break;
      case 'error': {
        // Ordering races (a cancel that came too late, a response the server had already started) are settled by
        // the gate; the visitor never hears of them.
        if (this.responses.error(event)) break;
        const code = event.error.code ?? event.error.type ?? 'server_error';
        if (announcesClose(code)) break;
        const text = realtimeMessageCode(code);
        const entry = s.note(`err.${text}` as MessageKey, 'warning');
        this.events.emit('error', { code, message: entry.text, text });
        break;
      }
      default:
        break;
    }
  }

  /**
   * The one entry point of barge-in: the visitor spoke, pressed to talk or typed. Whatever speaks the reply (the
   * avatar, the speaker) hears `barge-in` and stops, even when the model looks idle: their speech can outlast it. A
   * reply in progress is stopped too.
   */
  interrupt(by: SessionEvents['barge-in']['by']): void {
    this.events.emit('barge-in', { by });
    if (this.busy) this.bargeIn();
  }

  /**
   * Stops the model's reply, and makes the model's memory match what was heard. WebRTC: the server drops its
   * unplayed audio. WebSocket: we played it, so we say how much was heard.
   */
  private bargeIn(): void {
    this.speaking = false;
    this.responses.cancel();
    if (this.transport.kind === 'webrtc') {
      this.send({ type: 'output_audio_buffer.clear' });
    } else if (this.audio) {
      const heard = this.audio.clear();
      if (heard)
        this.send({
          type: 'conversation.item.truncate',
          item_id: heard.itemId,
          content_index: 0,
          audio_end_ms: Math.floor(heard.playedMs),
        });
    }
  }

  /** `id` names the transcript entry of a message that was typed earlier and waited for the connection. */
  sendText(text: string, id = localItemId()): void {
    this.store.setText(id, 'user', text);
    this.store.setDelivery(id, undefined);
    this.interrupt('text');
    this.send({
      type: 'conversation.item.create',
      item: { id, type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
    this.requestResponse({ user: true });
  }

  /** The output goes at once; the follow-up response waits for the end of the response that made the call. */
  answerFunctionCall(callId: string, output: unknown, respond = true): void {
    this.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) },
    });
    this.responses.answered(callId);
    if (respond) this.requestResponse();
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.events.clear();
  }
}
