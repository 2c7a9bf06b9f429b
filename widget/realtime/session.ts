import type { ResponseFunctionCallArgumentsDoneEvent } from 'openai/resources/realtime/realtime';
import type { SessionStore, Status } from '../state/session-store.ts';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeTransport } from './transport.ts';

/** Where WebSocket audio is played; it knows how much of each item was actually heard. */
export interface AudioSink {
  enqueue(itemId: string, base64: string): void;
  clear(): { itemId: string; playedMs: number } | null;
  readonly playing: boolean;
  onIdle(cb: () => void): () => void;
}

export interface SessionHooks {
  /** WebSocket transports: the model's audio deltas go here. */
  audio?: AudioSink;
  /** A completed function call; the answer goes back through `answerFunctionCall`. */
  onFunctionCall?: (call: ResponseFunctionCallArgumentsDoneEvent) => void;
  /** A server `error` event (the session goes on). */
  onServerError?: (code: string, message: string) => void;
  /** Status changes the session decides (listening, thinking, speaking). */
  onStatus?: (status: Status) => void;
}

/**
 * The conversation protocol on top of any transport: turns server events into transcript, status, usage and rate
 * limits, and sends the client events of barge-in, text turns and function-call answers.
 */
export class RealtimeSession {
  /** Whether the model is producing or playing a reply that a visitor could interrupt. */
  private responding = false;
  private speaking = false;
  private readonly offs: Array<() => void>;

  constructor(
    private readonly store: SessionStore,
    private readonly transport: RealtimeTransport,
    private readonly hooks: SessionHooks = {},
  ) {
    this.offs = [
      transport.on('event', (e) => this.handle(e)),
      hooks.audio?.onIdle(() => {
        this.speaking = false;
        if (!this.responding) this.status('listening');
      }) ?? (() => {}),
    ];
  }

  get busy(): boolean {
    return this.responding || this.speaking;
  }

  send(event: RealtimeClientEvent): void {
    this.transport.send(event);
  }

  private status(status: Status) {
    this.hooks.onStatus?.(status);
  }

  handle(event: RealtimeServerEvent): void {
    const s = this.store;
    switch (event.type) {
      case 'session.created':
        this.status('listening');
        break;
      case 'input_audio_buffer.speech_started':
        if (this.speaking || this.responding) this.bargeIn();
        this.status('listening');
        break;
      case 'input_audio_buffer.speech_stopped':
        this.status('thinking');
        break;
      case 'conversation.item.input_audio_transcription.delta':
        s.appendDelta(event.item_id, 'user', event.delta ?? '');
        break;
      case 'conversation.item.input_audio_transcription.completed':
        s.setText(event.item_id, 'user', event.transcript.trim() || '…');
        break;
      case 'conversation.item.input_audio_transcription.failed':
        s.setText(event.item_id, 'user', '(not understood)');
        break;
      case 'response.created':
        this.responding = true;
        this.status('thinking');
        break;
      case 'response.output_audio.delta':
        if (this.hooks.audio) {
          this.hooks.audio.enqueue(event.item_id, event.delta);
          if (!this.speaking) {
            this.speaking = true;
            this.status('speaking');
          }
        }
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        s.appendDelta(event.item_id, 'assistant', event.delta);
        break;
      case 'response.output_audio_transcript.done':
        s.setText(event.item_id, 'assistant', event.transcript);
        break;
      case 'response.output_text.done':
        s.setText(event.item_id, 'assistant', event.text);
        break;
      case 'output_audio_buffer.started':
        this.speaking = true;
        this.status('speaking');
        break;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        this.speaking = false;
        if (!this.responding) this.status('listening');
        break;
      case 'response.function_call_arguments.done':
        this.hooks.onFunctionCall?.(event);
        break;
      case 'response.done': {
        this.responding = false;
        const u = event.response.usage;
        if (u) {
          s.addUsage({
            inputTokens: u.input_tokens ?? 0,
            outputTokens: u.output_tokens ?? 0,
            totalTokens: u.total_tokens ?? 0,
            audioInputTokens: u.input_token_details?.audio_tokens ?? 0,
            audioOutputTokens: u.output_token_details?.audio_tokens ?? 0,
            cachedTokens: u.input_token_details?.cached_tokens ?? 0,
          });
        }
        if (!this.speaking) this.status('listening');
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
        const { code, message } = event.error;
        // Cancelling when nothing is playing is harmless; do not alarm the visitor about it.
        if (code === 'response_cancel_not_active') break;
        s.addNotice(message || 'The assistant reported a problem.', 'warning');
        this.hooks.onServerError?.(code ?? 'server_error', message);
        break;
      }
      default:
        break;
    }
  }

  /**
   * The visitor interrupted the assistant: stop the reply, and make the model's memory match what was heard.
   * WebRTC: the server drops its unplayed audio. WebSocket: we played it, so we say how much was heard.
   */
  bargeIn(): void {
    this.responding = false;
    this.speaking = false;
    this.send({ type: 'response.cancel' });
    if (this.transport.kind === 'webrtc') {
      this.send({ type: 'output_audio_buffer.clear' });
    } else if (this.hooks.audio) {
      const heard = this.hooks.audio.clear();
      if (heard) this.send({ type: 'conversation.item.truncate', item_id: heard.itemId, content_index: 0, audio_end_ms: Math.floor(heard.playedMs) });
    }
  }

  sendText(text: string): void {
    const id = `local-${crypto.getRandomValues(new Uint32Array(2)).join('')}`.slice(0, 32);
    this.store.setText(id, 'user', text);
    if (this.responding || this.speaking) this.bargeIn();
    this.send({ type: 'conversation.item.create', item: { id, type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    this.send({ type: 'response.create' });
  }

  answerFunctionCall(callId: string, output: unknown, respond = true): void {
    this.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) } });
    if (respond) this.send({ type: 'response.create' });
  }

  dispose(): void {
    for (const off of this.offs) off();
  }
}
