import { WidgetError } from '../../../widget/api/errors.ts';
import { Emitter } from '../../../widget/realtime/emitter.ts';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
  RealtimeTransport,
  TransportEvents,
  TransportKind,
} from '../../../widget/realtime/transport.ts';

/**
 * A transport without a network, like `@openai/agents-realtime`'s scripted transport: the test plays the server's
 * events in order and reads what the client sent. It keeps the rule every real transport keeps: nothing is sent
 * before `connect()` resolved or after `close()`, and a closed transport emits nothing.
 */
export class ScriptedTransport implements RealtimeTransport {
  readonly sent: RealtimeClientEvent[] = [];
  private readonly emitter = new Emitter<TransportEvents>();
  private state: 'new' | 'open' | 'closed' = 'new';
  /** When set, `connect()` fails with it (the server refused). */
  refuse: WidgetError | null = null;

  constructor(readonly kind: TransportKind = 'text') {}

  on<K extends keyof TransportEvents>(type: K, listener: (payload: TransportEvents[K]) => void): () => void {
    return this.emitter.on(type, listener);
  }

  async connect(): Promise<void> {
    if (this.refuse) throw this.refuse;
    this.state = 'open';
  }

  send(event: RealtimeClientEvent): void {
    if (this.state !== 'open') throw new Error(`sent ${event.type} on a ${this.state} transport`);
    this.sent.push(event);
  }

  close(): void {
    this.state = 'closed';
    this.emitter.clear();
  }

  /** Plays server events, in order. */
  play(...events: Array<Record<string, unknown> & { type: string }>): void {
    if (this.state !== 'open') throw new Error('the server cannot speak on a transport that is not open');
    for (const event of events) this.emitter.emit('event', event as unknown as RealtimeServerEvent);
  }

  /** The connection ends by itself. */
  drop(error = new WidgetError('connection_lost', 'The connection closed.')): void {
    this.state = 'closed';
    this.emitter.emit('closed', { error });
    this.emitter.clear();
  }

  types(): string[] {
    return this.sent.map((e) => e.type);
  }
}

/** Server events as the GA Realtime API sends them, with only the fields the widget reads filled in. */
export const server = {
  created: () => ({ type: 'session.created', event_id: 'ev', session: { type: 'realtime' } }),
  responseCreated: (id: string) => ({
    type: 'response.created',
    event_id: 'ev',
    response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
  }),
  textDelta: (responseId: string, itemId: string, delta: string) => ({
    type: 'response.output_text.delta',
    event_id: 'ev',
    response_id: responseId,
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    delta,
  }),
  textDone: (responseId: string, itemId: string, text: string) => ({
    type: 'response.output_text.done',
    event_id: 'ev',
    response_id: responseId,
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    text,
  }),
  call: (responseId: string, callId: string, name: string, args: string) => ({
    type: 'response.function_call_arguments.done',
    event_id: 'ev',
    response_id: responseId,
    item_id: `item_${callId}`,
    output_index: 0,
    call_id: callId,
    name,
    arguments: args,
  }),
  responseDone: (id: string, usage?: { input_tokens: number; output_tokens: number; total_tokens: number }) => ({
    type: 'response.done',
    event_id: 'ev',
    response: { id, object: 'realtime.response', status: 'completed', output: [], ...(usage ? { usage } : {}) },
  }),
  speechStarted: () => ({
    type: 'input_audio_buffer.speech_started',
    event_id: 'ev',
    audio_start_ms: 0,
    item_id: 'item_speech',
  }),
  error: (code: string) => ({
    type: 'error',
    event_id: 'ev',
    error: { type: 'invalid_request_error', code, message: `raw ${code}`, param: null, event_id: null },
  }),
};
