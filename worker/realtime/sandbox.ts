// The sandbox responder: with no OpenAI key, the relay talks to this instead of OpenAI. It has the shape of the
// upstream socket (send, close, message and close events) and speaks GA Realtime server events, so the widget runs
// the same code against it. Text turns get a rule-based reply and an extract_keywords call from the local extractor;
// audio turns get a transcript saying voice needs a key.
import type {
  ConversationItem,
  RealtimeClientEvent,
  RealtimeResponseUsage,
  RealtimeServerEvent,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { briefJson } from '../../widget/keywords/brief.ts';
import { extractKeywords } from '../../widget/keywords/extract.ts';
import { mergeKeywords } from '../../widget/keywords/merge.ts';
import { normaliseKeywords } from '../../widget/keywords/normalise.ts';
import { emptyKeywords, type Keywords } from '../../widget/keywords/types.ts';
import { CONTEXT_NOTE_PREFIX } from '../../widget/realtime/context-note.ts';
import {
  afterToolOutput,
  choiceReply,
  chosenConcept,
  drawingReply,
  isEmpty,
  offersConcepts,
  replyTo,
  VOICE_NEEDS_KEY,
  wantsConcepts,
} from './sandbox-reply.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ServerEventBody = DistributiveOmit<RealtimeServerEvent, 'event_id'>;
type Session = RealtimeSessionCreateRequest & { id: string; object: 'realtime.session'; expires_at: number };

/** Pace of the streamed reply: one delta every STEP_MS, like a model answering quickly. */
const STEP_MS = 15;
/** 24 kHz mono PCM16 is 48 bytes a millisecond; OpenAI refuses to commit less than 100 ms. */
const MIN_COMMIT_BYTES = 4800;

const newId = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 22)}`;
const base64Bytes = (b64: string) =>
  Math.max(0, Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0));
const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

interface ActiveResponse {
  id: string;
  cancelled: boolean;
}

export class SandboxSocket extends EventTarget<{ message: MessageEvent; close: CloseEvent; error: Event }> {
  private readonly session: Session;
  private closed = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private lastItemId: string | null = null;
  /** The conversation's items, for retrieve, truncate and function_call_output checks, as OpenAI keeps them. */
  private readonly items = new Map<string, ConversationItem>();
  /**
   * Transcription results wait for the next response.created: OpenAI's arrive asynchronously, after the reply starts.
   */
  private transcripts: ServerEventBody[] = [];
  private audioBytes = 0;
  private keywords: Keywords = emptyKeywords();
  private keywordsAtLastReply: Keywords = emptyKeywords();
  private lastCalled = JSON.stringify(emptyKeywords());
  private heardAudio = false;
  private heardText = false;
  private toolOutputPending = false;
  /** The visitor asked for concepts in this turn; and whether the last reply offered them (so "yes" means go). */
  private conceptsWanted = false;
  private offered = false;
  /** The concept the visitor just chose (1-based), to be confirmed by the next reply. */
  private chosen: number | null = null;
  private transcriptChars = 0;
  private active: ActiveResponse | null = null;

  constructor(opts: { mode: 'websocket' | 'text'; model: string; voice: string }) {
    super();
    this.session = {
      type: 'realtime',
      object: 'realtime.session',
      id: newId('sess'),
      model: opts.model,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      instructions: '',
      output_modalities: opts.mode === 'text' ? ['text'] : ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: opts.voice },
      },
      tools: [],
      tool_choice: 'auto',
    };
    this.emit({ type: 'session.created', session: this.session });
  }

  send(data: string): void {
    if (this.closed) throw new Error('WebSocket is closed');
    let event: RealtimeClientEvent;
    try {
      event = JSON.parse(data) as RealtimeClientEvent;
    } catch {
      return this.error('invalid_json', 'We could not parse the JSON body of your request.', null);
    }
    this.handle(event);
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.later(() => this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true })), 0, true);
  }

  private later(fn: () => void, ms: number, evenIfClosed = false) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed || evenIfClosed) fn();
    }, ms);
    this.timers.add(t);
  }

  private emit(body: ServerEventBody, ms = 0) {
    const data = JSON.stringify({ event_id: newId('event'), ...body });
    this.later(() => this.dispatchEvent(new MessageEvent('message', { data })), ms);
  }

  private error(code: string, message: string, eventId: string | null | undefined, param: string | null = null) {
    this.emit({
      type: 'error',
      error: { type: 'invalid_request_error', code, message, param, event_id: eventId ?? null },
    });
  }

  private addItem(item: ConversationItem & { id: string }) {
    const previous_item_id = this.lastItemId;
    this.lastItemId = item.id;
    this.items.set(item.id, item);
    this.emit({ type: 'conversation.item.added', previous_item_id, item });
    this.emit({ type: 'conversation.item.done', previous_item_id, item });
  }

  private handle(event: RealtimeClientEvent) {
    switch (event.type) {
      case 'session.update': {
        const { audio, ...rest } = event.session as RealtimeSessionCreateRequest;
        Object.assign(this.session, rest);
        if (audio) {
          const current = this.session.audio ?? {};
          this.session.audio = {
            input: { ...current.input, ...audio.input },
            output: { ...current.output, ...audio.output },
          };
        }
        return this.emit({ type: 'session.updated', session: this.session });
      }
      case 'input_audio_buffer.append':
        this.audioBytes += base64Bytes(event.audio);
        return;
      case 'input_audio_buffer.clear':
        this.audioBytes = 0;
        return this.emit({ type: 'input_audio_buffer.cleared' });
      case 'input_audio_buffer.commit':
        return this.commit(event.event_id);
      case 'conversation.item.create':
        return this.createItem(event);
      case 'conversation.item.truncate': {
        const item = this.items.get(event.item_id);
        if (!item)
          return this.error(
            'item_truncate_invalid_item_id',
            `Item with item_id not found: ${event.item_id}`,
            event.event_id,
            'item_id',
          );
        // The sandbox speaks no audio: there is nothing to truncate past its start.
        if (event.audio_end_ms > 0)
          return this.error(
            'invalid_value',
            `Audio content of 0ms is shorter than ${event.audio_end_ms}ms.`,
            event.event_id,
            'audio_end_ms',
          );
        return this.emit({
          type: 'conversation.item.truncated',
          item_id: event.item_id,
          content_index: event.content_index,
          audio_end_ms: event.audio_end_ms,
        });
      }
      case 'conversation.item.retrieve': {
        const item = this.items.get(event.item_id);
        if (!item)
          return this.error(
            'item_not_found',
            `Item with item_id not found: ${event.item_id}`,
            event.event_id,
            'item_id',
          );
        return this.emit({ type: 'conversation.item.retrieved', item });
      }
      case 'response.cancel':
        if (!this.active)
          return this.error(
            'response_cancel_not_active',
            'Cancellation failed: no active response found.',
            event.event_id,
          );
        this.active.cancelled = true;
        return;
      case 'response.create':
        if (this.active) {
          return this.error(
            'conversation_already_has_active_response',
            `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
            event.event_id,
          );
        }
        return this.respond(event.response?.output_modalities ?? this.session.output_modalities ?? ['audio']);
      default:
        return this.error(
          'invalid_value',
          `Invalid value: '${event.type}'. The sandbox does not support this event.`,
          event.event_id,
          'type',
        );
    }
  }

  private commit(eventId: string | undefined) {
    if (this.audioBytes < MIN_COMMIT_BYTES) {
      const ms = (this.audioBytes / 48).toFixed(2);
      return this.error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}ms of audio.`,
        eventId,
      );
    }
    this.audioBytes = 0;
    const itemId = newId('item');
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id: this.lastItemId, item_id: itemId });
    this.addItem({
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio' }],
    });
    // Nothing here can turn speech into words; say so the way the API reports a failed transcription, and when.
    this.transcripts.push({
      type: 'conversation.item.input_audio_transcription.failed',
      item_id: itemId,
      content_index: 0,
      error: { type: 'transcription_error', code: 'sandbox', message: 'Speech is not transcribed in sandbox mode.' },
    });
    this.later(() => this.flushTranscripts(), 300);
    this.heardAudio = true;
  }

  private flushTranscripts() {
    for (const e of this.transcripts.splice(0)) this.emit(e);
  }

  private createItem(event: Extract<RealtimeClientEvent, { type: 'conversation.item.create' }>) {
    const item = event.item;
    const id = item.id ?? newId('item');
    const previous = event.previous_item_id;
    if (previous && previous !== 'root' && !this.items.has(previous)) {
      return this.error(
        'item_not_found',
        `Previous item with item_id not found: ${previous}`,
        event.event_id,
        'previous_item_id',
      );
    }
    if (this.items.has(id))
      return this.error('invalid_value', `Item with id '${id}' already exists.`, event.event_id, 'item.id');
    if (
      item.type === 'function_call_output' &&
      ![...this.items.values()].some((i) => i.type === 'function_call' && i.call_id === item.call_id)
    ) {
      return this.error(
        'invalid_value',
        `No tool call found for function call output with call_id ${item.call_id}.`,
        event.event_id,
        'item.call_id',
      );
    }
    if (item.type === 'message' && item.role === 'user' && this.isContextNote(item.content)) {
      // A renewed connection's note: not something the visitor said (the brief item after it carries the keywords).
    } else if (item.type === 'message' && item.role === 'user') {
      const text = item.content
        .map((c) => (c.type === 'input_text' ? (c.text ?? '') : ''))
        .join(' ')
        .trim();
      this.transcriptChars += text.length;
      this.chosen = text ? chosenConcept(text) : null;
      if (text) this.heardText = true;
      // A choice repeats the brief in words: nothing in it is new, and it must not read as "draw again".
      if (text && this.chosen === null) {
        this.keywords = mergeKeywords(this.keywords, extractKeywords(text));
        if (wantsConcepts(text, this.offered)) this.conceptsWanted = true;
      }
    } else if (item.type === 'function_call_output') {
      this.toolOutputPending = true;
    } else if (item.type === 'message' && item.role === 'system') {
      // The visitor's own edit of the brief (the relay let only a valid one through): it replaces what the sandbox
      // gathered, as the model is told to, and needs no reply or keyword call of its own.
      const text = item.content.map((c) => (c.type === 'input_text' ? (c.text ?? '') : '')).join('');
      const brief = briefJson(text);
      if (brief !== undefined) {
        this.keywords = this.keywordsAtLastReply = normaliseKeywords(brief);
        this.lastCalled = JSON.stringify(this.keywords);
      }
    }
    this.addItem({ ...item, id, object: 'realtime.item', status: 'completed' } as ConversationItem & { id: string });
  }

  /** The widget's note at the start of a renewed connection (widget/realtime/seed.ts): the visitor did not say it. */
  private isContextNote(content: ReadonlyArray<{ type?: string; text?: string }>): boolean {
    return content.some((c) => c.type === 'input_text' && (c.text ?? '').startsWith(CONTEXT_NOTE_PREFIX));
  }

  private respond(modalities: ReadonlyArray<'text' | 'audio'>) {
    const audio = modalities.includes('audio');
    let text: string;
    let call: Keywords | null = null;
    let generate = false;
    if (this.heardAudio && !this.heardText) text = VOICE_NEEDS_KEY;
    else if (this.toolOutputPending && !this.heardText) text = afterToolOutput(this.keywords);
    else if (this.chosen !== null) text = choiceReply(this.chosen, this.keywords);
    else {
      generate = this.conceptsWanted && this.keywords.subject.length + this.keywords.elements.length > 0;
      text = generate ? drawingReply(this.keywords) : replyTo(this.keywordsAtLastReply, this.keywords);
      if (!isEmpty(this.keywords) && JSON.stringify(this.keywords) !== this.lastCalled) call = this.keywords;
    }
    this.heardAudio = this.heardText = this.toolOutputPending = this.conceptsWanted = false;
    this.chosen = null;
    this.offered = offersConcepts(text);
    this.keywordsAtLastReply = this.keywords;
    if (call) this.lastCalled = JSON.stringify(call);
    this.stream(text, audio, call, generate);
  }

  /** Streams one response: a message item with text or transcript deltas, then maybe the keyword and draw calls. */
  private stream(text: string, audio: boolean, call: Keywords | null, generate = false) {
    const response: ActiveResponse = { id: newId('resp'), cancelled: false };
    this.active = response;
    const response_id = response.id;
    const msgId = newId('item');
    const previous = this.lastItemId;
    this.lastItemId = msgId;
    const steps: ServerEventBody[] = [];
    const message = (status: 'in_progress' | 'completed', content: string | null): ConversationItem => ({
      id: msgId,
      object: 'realtime.item',
      type: 'message',
      role: 'assistant',
      status,
      content:
        content === null
          ? []
          : [audio ? { type: 'output_audio', transcript: content } : { type: 'output_text', text: content }],
    });
    const where = { response_id, item_id: msgId, output_index: 0, content_index: 0 };
    steps.push({
      type: 'response.output_item.added',
      response_id,
      output_index: 0,
      item: message('in_progress', null),
    });
    steps.push({ type: 'conversation.item.added', previous_item_id: previous, item: message('in_progress', null) });
    steps.push({
      type: 'response.content_part.added',
      ...where,
      part: audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
    });
    for (const delta of text.match(/\S+\s*/g) ?? []) {
      steps.push(
        audio
          ? { type: 'response.output_audio_transcript.delta', ...where, delta }
          : { type: 'response.output_text.delta', ...where, delta },
      );
    }
    steps.push(
      audio
        ? { type: 'response.output_audio_transcript.done', ...where, transcript: text }
        : { type: 'response.output_text.done', ...where, text },
    );
    steps.push({
      type: 'response.content_part.done',
      ...where,
      part: audio ? { type: 'audio', transcript: text } : { type: 'text', text },
    });
    steps.push({ type: 'response.output_item.done', response_id, output_index: 0, item: message('completed', text) });
    steps.push({ type: 'conversation.item.done', previous_item_id: previous, item: message('completed', text) });
    const output: ConversationItem[] = [message('completed', text)];

    let args = '';
    const calls: Array<[name: string, argsText: string]> = [];
    if (call) calls.push(['extract_keywords', JSON.stringify(call)]);
    if (generate) calls.push(['generate_concepts', JSON.stringify({ reason: 'The visitor asked for concepts.' })]);
    calls.forEach(([name, a], n) => {
      args += a;
      const output_index = n + 1;
      const callItemId = newId('item');
      const callId = newId('call');
      const fn = (status: 'in_progress' | 'completed', value: string): ConversationItem => ({
        id: callItemId,
        object: 'realtime.item',
        type: 'function_call',
        status,
        call_id: callId,
        name,
        arguments: value,
      });
      const at = { response_id, item_id: callItemId, output_index, call_id: callId };
      const after = this.lastItemId;
      steps.push({ type: 'response.output_item.added', response_id, output_index, item: fn('in_progress', '') });
      steps.push({ type: 'conversation.item.added', previous_item_id: after, item: fn('in_progress', '') });
      for (const chunk of a.match(/.{1,48}/g) ?? [])
        steps.push({ type: 'response.function_call_arguments.delta', ...at, delta: chunk });
      steps.push({ type: 'response.function_call_arguments.done', ...at, name, arguments: a });
      steps.push({ type: 'response.output_item.done', response_id, output_index, item: fn('completed', a) });
      steps.push({ type: 'conversation.item.done', previous_item_id: after, item: fn('completed', a) });
      output.push(fn('completed', a));
      this.items.set(callItemId, fn('completed', a));
      this.lastItemId = callItemId;
    });

    const usage = this.usage(text.length + args.length);
    this.items.set(msgId, message('completed', text));
    this.emit({
      type: 'response.created',
      response: {
        id: response_id,
        object: 'realtime.response',
        status: 'in_progress',
        output: [],
        output_modalities: audio ? ['audio'] : ['text'],
      },
    });
    this.flushTranscripts();
    let i = 0;
    const tick = () => {
      if (response.cancelled) {
        this.active = null;
        return this.emit({
          type: 'response.done',
          response: {
            id: response_id,
            object: 'realtime.response',
            status: 'cancelled',
            status_details: { type: 'cancelled', reason: 'client_cancelled' },
            output: [],
            usage,
          },
        });
      }
      const step = steps[i++];
      if (step) {
        this.emit(step);
        return this.later(tick, STEP_MS);
      }
      this.active = null;
      this.transcriptChars += text.length + args.length;
      this.emit({
        type: 'response.done',
        response: {
          id: response_id,
          object: 'realtime.response',
          status: 'completed',
          output,
          output_modalities: audio ? ['audio'] : ['text'],
          usage,
        },
      });
      this.emit({
        type: 'rate_limits.updated',
        rate_limits: [
          { name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 },
          { name: 'tokens', limit: 40000, remaining: 40000 - (usage.total_tokens ?? 0), reset_seconds: 60 },
        ],
      });
    };
    this.later(tick, STEP_MS);
  }

  private usage(outputChars: number): RealtimeResponseUsage {
    const input = tokens(this.transcriptChars + 400);
    const output = tokens(outputChars);
    return {
      total_tokens: input + output,
      input_tokens: input,
      output_tokens: output,
      input_token_details: { text_tokens: input, audio_tokens: 0, cached_tokens: 0 },
      output_token_details: { text_tokens: output, audio_tokens: 0 },
    };
  }
}
