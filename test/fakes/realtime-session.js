// One OpenAI Realtime session as the API runs it, whatever carries it (a WebSocket, a WebRTC data channel, a
// sideband socket): GA event names and order, and the API's rules (test/fakes/realtime-rules.js):
// - session.created first; session.update validated (unknown keys, a model change, a voice change once the
//   assistant has spoken, retired models by date); session.updated echoes the whole session;
// - the input buffer: append up to 15 MiB an event, commit of at least 100 ms, clear;
// - a conversation of items in order: conversation.item.added / .done carry previous_item_id; create (with
//   previous_item_id or 'root'), retrieve, delete; truncate only within the audio the assistant produced;
// - one response at a time (conversation_already_has_active_response), cancel only when one runs;
// - input transcription is asynchronous: it arrives after the reply's response.created (or, with
//   transcriptAfter: 'response.done', after its response.done), never before;
// - the session ends at its maximum duration (60 minutes) with session_expired.
// Behaviour: { reply, functionCall, transcript, transcriptAfter, stepMs, latencyMs, today, sessionMaxMs }.
import { randomBytes } from 'node:crypto';
import { assistantMessage, functionCallItem, responseUsage, userAudioMessage } from './realtime-items.js';
import { itemProblem, modelProblem, responseProblem, sessionProblem } from './realtime-rules.js';

const id = (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`;
const MAX_APPEND_BYTES = 15 * 1024 * 1024;
/** 24 kHz PCM16 mono: 48 bytes a millisecond. */
const BYTES_PER_MS = 48;
const AUDIO_CHUNK_BYTES = 4800;
const usage = responseUsage({ inputText: 60, inputAudio: 20, outputText: 10, outputAudio: 30 });

export class FakeRealtimeSession {
  /**
   * @param {{ model: string, transport: 'websocket' | 'webrtc', send: (event: object) => void, close: (code: number,
   *   reason: string) => void,
   *   behaviour?: object, config?: object }} opts
   */
  constructor({ model, transport, send, close, behaviour = {}, config = {} }) {
    this.transport = transport;
    this.behaviour = behaviour;
    this.sendOut = send;
    this.closeOut = close;
    this.today = behaviour.today ?? new Date().toISOString().slice(0, 10);
    this.received = [];
    this.refusals = [];
    this.observers = new Set();
    this.items = [];
    this.bufferedBytes = 0;
    this.active = null;
    this.assistantSpoke = false;
    this.pendingTranscripts = [];
    this.closed = false;
    this.timers = new Set();
    this.seq = 0;
    const { audio = {}, ...rest } = config;
    this.session = {
      type: 'realtime',
      object: 'realtime.session',
      id: id('sess'),
      model,
      output_modalities: ['audio'],
      instructions: '',
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      truncation: 'auto',
      prompt: null,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      ...rest,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: 200,
            create_response: true,
            interrupt_response: true,
          },
          ...audio.input,
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1, ...audio.output },
      },
    };
  }

  /** Opens the session: session.created, and the clock of its maximum duration. */
  start() {
    const refused = modelProblem(this.session.model, this.today);
    if (refused) {
      this.error(refused, null);
      this.end(1008, refused.message);
      return;
    }
    this.emit({ type: 'session.created', session: this.session });
    this.later(
      () => {
        this.emit({
          type: 'error',
          error: {
            type: 'invalid_request_error',
            code: 'session_expired',
            message: 'Your session hit the maximum duration of 60 minutes.',
            param: null,
            event_id: null,
          },
        });
        this.end(1000, 'session expired');
      },
      this.behaviour.sessionMaxMs ?? 60 * 60 * 1000,
    );
  }

  summary() {
    return {
      received: this.received.map((e) => e.type),
      session: this.session,
      events: this.received,
      refusals: this.refusals,
      closed: this.closed,
      items: this.items.map((i) => i.id),
    };
  }

  later(fn, ms) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  emit(event) {
    if (this.closed) return;
    const full = { event_id: `event_${++this.seq}`, ...event };
    for (const observe of this.observers) observe(full);
    if (this.behaviour.latencyMs) setTimeout(() => this.sendOut(full), this.behaviour.latencyMs);
    else this.sendOut(full);
  }

  error({ code, message, param = null }, eventId, type = 'invalid_request_error') {
    this.refusals.push({ code, param, event_id: eventId ?? null });
    this.emit({ type: 'error', error: { type, code, message, param, event_id: eventId ?? null } });
  }

  end(code = 1000, reason = 'ended') {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.closeOut(code, reason);
  }

  index(itemId) {
    return this.items.findIndex((i) => i.id === itemId);
  }

  /** Adds an item after `previous` (the last item when undefined, the start when 'root'). */
  insert(item, previous) {
    let at = this.items.length;
    if (previous === 'root') at = 0;
    else if (previous !== undefined && previous !== null) at = this.index(previous) + 1;
    const previous_item_id = at === 0 ? null : this.items[at - 1].id;
    this.items.splice(at, 0, item);
    return previous_item_id;
  }

  addItem(item, previous) {
    const previous_item_id = this.insert(item, previous);
    this.emit({ type: 'conversation.item.added', previous_item_id, item });
    this.emit({ type: 'conversation.item.done', previous_item_id, item });
    return previous_item_id;
  }

  receive(text) {
    if (this.closed) return;
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      return this.error({ code: 'invalid_json', message: 'We could not parse the JSON body of your request.' }, null);
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
      return this.error(
        { code: 'missing_required_parameter', message: "Missing required parameter: 'type'.", param: 'type' },
        null,
      );
    }
    this.received.push(event);
    const eid = event.event_id;
    switch (event.type) {
      case 'session.update':
        return this.update(event);
      case 'input_audio_buffer.append': {
        if (typeof event.audio !== 'string')
          return this.error(
            { code: 'missing_required_parameter', message: "Missing required parameter: 'audio'.", param: 'audio' },
            eid,
          );
        const bytes = Buffer.from(event.audio, 'base64').length;
        if (bytes > MAX_APPEND_BYTES)
          return this.error(
            { code: 'invalid_value', message: 'Audio content exceeds the maximum of 15 MiB an event.', param: 'audio' },
            eid,
          );
        this.bufferedBytes += bytes;
        return;
      }
      case 'input_audio_buffer.clear':
        this.bufferedBytes = 0;
        return this.emit({ type: 'input_audio_buffer.cleared' });
      case 'input_audio_buffer.commit':
        if (this.bufferedBytes < 100 * BYTES_PER_MS) {
          return this.error(
            {
              code: 'input_audio_buffer_commit_empty',
              message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${(this.bufferedBytes / BYTES_PER_MS).toFixed(2)}ms of audio.`,
            },
            eid,
          );
        }
        this.bufferedBytes = 0;
        return this.commit(this.behaviour.transcript ?? 'a wolf on my forearm');
      case 'output_audio_buffer.clear':
        if (this.transport !== 'webrtc')
          return this.error(
            {
              code: 'invalid_value',
              message: 'output_audio_buffer.clear is only supported for WebRTC connections.',
              param: 'type',
            },
            eid,
          );
        if (this.active) this.cancelActive();
        return this.emit({ type: 'output_audio_buffer.cleared', response_id: this.lastResponseId ?? null });
      case 'conversation.item.create':
        return this.create(event);
      case 'conversation.item.retrieve': {
        const item = this.items[this.index(event.item_id)];
        if (!item)
          return this.error(
            { code: 'item_not_found', message: `Item with item_id not found: ${event.item_id}`, param: 'item_id' },
            eid,
          );
        return this.emit({ type: 'conversation.item.retrieved', item });
      }
      case 'conversation.item.delete': {
        const at = this.index(event.item_id);
        if (at < 0)
          return this.error(
            { code: 'item_not_found', message: `Item with item_id not found: ${event.item_id}`, param: 'item_id' },
            eid,
          );
        this.items.splice(at, 1);
        return this.emit({ type: 'conversation.item.deleted', item_id: event.item_id });
      }
      case 'conversation.item.truncate':
        return this.truncate(event);
      case 'response.cancel':
        if (!this.active)
          return this.error(
            { code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found.' },
            eid,
          );
        return this.cancelActive();
      case 'response.create': {
        if (this.active) {
          return this.error(
            {
              code: 'conversation_already_has_active_response',
              message: `Conversation already has an active response in progress: ${this.active.id}. Wait until the response is finished before creating a new one.`,
            },
            eid,
          );
        }
        const p = responseProblem(event.response);
        if (p) return this.error(p, eid);
        return this.respond(event.response ?? {});
      }
      default:
        return this.error(
          {
            code: 'invalid_value',
            message: `Invalid value: '${String(event.type).slice(0, 64)}'. Supported values are the client events of the Realtime API.`,
            param: 'type',
          },
          eid,
        );
    }
  }

  update(event) {
    const eid = event.event_id;
    const next = event.session;
    const p = sessionProblem(next, { today: this.today });
    if (p) return this.error(p, eid);
    if (next.model !== undefined && next.model !== this.session.model) {
      return this.error(
        { code: 'invalid_value', message: "Cannot update a session's model.", param: 'session.model' },
        eid,
      );
    }
    const voice = next.audio?.output?.voice;
    if (
      voice !== undefined &&
      JSON.stringify(voice) !== JSON.stringify(this.session.audio.output.voice) &&
      this.assistantSpoke
    ) {
      return this.error(
        {
          code: 'cannot_update_voice',
          message: "Cannot update a conversation's voice if assistant audio is present.",
          param: 'session.audio.output.voice',
        },
        eid,
      );
    }
    const { audio, ...rest } = next;
    Object.assign(this.session, rest);
    if (audio) {
      this.session.audio = {
        input: { ...this.session.audio.input, ...audio.input },
        output: { ...this.session.audio.output, ...audio.output },
      };
    }
    this.emit({ type: 'session.updated', session: this.session });
  }

  create(event) {
    const eid = event.event_id;
    const p = itemProblem(event.item);
    if (p) return this.error(p, eid);
    const prev = event.previous_item_id;
    if (prev !== undefined && prev !== 'root' && this.index(prev) < 0) {
      return this.error(
        { code: 'item_not_found', message: `Previous item with item_id not found: ${prev}`, param: 'previous_item_id' },
        eid,
      );
    }
    if (event.item.id && this.index(event.item.id) >= 0) {
      return this.error(
        { code: 'invalid_value', message: `Item with id '${event.item.id}' already exists.`, param: 'item.id' },
        eid,
      );
    }
    if (
      event.item.type === 'function_call_output' &&
      !this.items.some((i) => i.type === 'function_call' && i.call_id === event.item.call_id)
    ) {
      return this.error(
        {
          code: 'invalid_value',
          message: `No tool call found for function call output with call_id ${event.item.call_id}.`,
          param: 'item.call_id',
        },
        eid,
      );
    }
    const item = { object: 'realtime.item', status: 'completed', ...event.item, id: event.item.id ?? id('item') };
    this.lastInput = item.type;
    this.addItem(item, prev);
  }

  truncate(event) {
    const eid = event.event_id;
    const item = this.items[this.index(event.item_id)];
    if (!item)
      return this.error(
        {
          code: 'item_truncate_invalid_item_id',
          message: `Item with item_id not found: ${event.item_id}`,
          param: 'item_id',
        },
        eid,
      );
    if (item.type !== 'message' || item.role !== 'assistant')
      return this.error(
        { code: 'invalid_value', message: 'Only assistant messages can be truncated.', param: 'item_id' },
        eid,
      );
    const part = item.content?.[event.content_index];
    if (!part || part.type !== 'output_audio')
      return this.error(
        {
          code: 'invalid_value',
          message: `Item ${event.item_id} has no audio at content_index ${event.content_index}.`,
          param: 'content_index',
        },
        eid,
      );
    if (!Number.isInteger(event.audio_end_ms) || event.audio_end_ms < 0)
      return this.error({ code: 'invalid_value', message: "Invalid 'audio_end_ms'.", param: 'audio_end_ms' }, eid);
    const ms = item.audioMs ?? 0;
    if (event.audio_end_ms > ms) {
      return this.error(
        {
          code: 'invalid_value',
          message: `Audio content of ${ms}ms is shorter than ${event.audio_end_ms}ms.`,
          param: 'audio_end_ms',
        },
        eid,
      );
    }
    part.transcript = '';
    this.emit({
      type: 'conversation.item.truncated',
      item_id: item.id,
      content_index: event.content_index,
      audio_end_ms: event.audio_end_ms,
    });
  }

  /**
   * The visitor's audio was committed (by the client, or by turn detection): the user item, then its transcript later.
   */
  commit(transcript) {
    const itemId = id('item');
    const previous_item_id = this.items.at(-1)?.id ?? null;
    this.emit({ type: 'input_audio_buffer.committed', previous_item_id, item_id: itemId });
    this.lastInput = 'message';
    this.addItem(userAudioMessage(itemId));
    if (!this.session.audio.input.transcription) return itemId;
    const words = transcript.split(/(?<= )/);
    const events = [
      ...words.map((delta) => ({
        type: 'conversation.item.input_audio_transcription.delta',
        item_id: itemId,
        content_index: 0,
        delta,
      })),
      {
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: { type: 'duration', seconds: 2 },
      },
    ];
    this.pendingTranscripts.push(events);
    // With no reply to wait for, the transcript still comes, a little later.
    this.later(() => this.flushTranscripts(), 300);
    return itemId;
  }

  flushTranscripts() {
    for (const events of this.pendingTranscripts.splice(0)) for (const e of events) this.emit(e);
  }

  /** Voice over WebRTC: what server VAD reports for one spoken turn, then (create_response) the reply. */
  speak(transcript = this.behaviour.transcript ?? 'a wolf on my forearm') {
    const td = this.session.audio.input.turn_detection;
    const itemId = id('item');
    this.emit({ type: 'input_audio_buffer.speech_started', audio_start_ms: 100, item_id: itemId });
    if (this.active && td?.interrupt_response !== false) this.cancelActive('turn_detected');
    this.emit({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 1800, item_id: itemId });
    this.commit(transcript);
    if (td && td.create_response !== false && !this.active) this.respond({});
  }

  cancelActive(reason = 'client_cancelled') {
    const r = this.active;
    if (!r) return;
    r.cancelled = true;
    this.active = null;
    this.emit({
      type: 'response.done',
      response: {
        id: r.id,
        object: 'realtime.response',
        status: 'cancelled',
        status_details: { type: 'cancelled', reason },
        output: [],
        usage,
      },
    });
    if (this.transport === 'webrtc' && r.audioStarted)
      this.emit({ type: 'output_audio_buffer.cleared', response_id: r.id });
  }

  respond(params) {
    const modalities = params.output_modalities ?? this.session.output_modalities ?? ['audio'];
    const textOnly = !modalities.includes('audio');
    const ws = this.transport === 'websocket';
    const responseId = id('resp');
    const itemId = id('item');
    const response = { id: responseId, cancelled: false, audioStarted: false };
    this.active = response;
    this.lastResponseId = responseId;
    const reply = this.behaviour.reply ?? 'A fine-line wolf would look great on your forearm.';
    const words = reply.split(/(?<= )/);
    const where = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const message = (status, said) => assistantMessage(itemId, status, said, { audio: !textOnly });
    const assistant = message('in_progress', null);
    const output = [message('completed', reply)];
    const steps = [];
    steps.push(() => {
      this.emit({
        type: 'response.created',
        response: {
          id: responseId,
          object: 'realtime.response',
          status: 'in_progress',
          output: [],
          output_modalities: modalities,
        },
      });
      if (this.behaviour.transcriptAfter !== 'response.done') this.flushTranscripts();
    });
    steps.push(() =>
      this.emit({
        type: 'response.output_item.added',
        response_id: responseId,
        output_index: 0,
        item: message('in_progress', null),
      }),
    );
    steps.push(() => {
      const previous_item_id = this.insert(assistant);
      this.emit({ type: 'conversation.item.added', previous_item_id, item: message('in_progress', null) });
      assistant.previous = previous_item_id;
    });
    steps.push(() => {
      assistant.content = message('in_progress', '').content;
      this.emit({
        type: 'response.content_part.added',
        ...where,
        part: textOnly ? { type: 'text', text: '' } : { type: 'audio', transcript: '' },
      });
    });
    if (!textOnly && !ws) {
      steps.push(() => {
        response.audioStarted = true;
        this.assistantSpoke = true;
        this.emit({ type: 'output_audio_buffer.started', response_id: responseId });
      });
    }
    for (const w of words) {
      if (textOnly) steps.push(() => this.emit({ type: 'response.output_text.delta', ...where, delta: w }));
      else {
        if (ws) {
          steps.push(() => {
            this.assistantSpoke = true;
            assistant.audioMs = (assistant.audioMs ?? 0) + AUDIO_CHUNK_BYTES / BYTES_PER_MS;
            this.emit({
              type: 'response.output_audio.delta',
              ...where,
              delta: Buffer.alloc(AUDIO_CHUNK_BYTES).toString('base64'),
            });
          });
        } else steps.push(() => (assistant.audioMs = (assistant.audioMs ?? 0) + 300));
        steps.push(() => this.emit({ type: 'response.output_audio_transcript.delta', ...where, delta: w }));
      }
    }
    if (textOnly) steps.push(() => this.emit({ type: 'response.output_text.done', ...where, text: reply }));
    else {
      steps.push(() => this.emit({ type: 'response.output_audio.done', ...where }));
      steps.push(() => this.emit({ type: 'response.output_audio_transcript.done', ...where, transcript: reply }));
    }
    steps.push(() =>
      this.emit({
        type: 'response.content_part.done',
        ...where,
        part: textOnly ? { type: 'text', text: reply } : { type: 'audio', transcript: reply },
      }),
    );
    steps.push(() =>
      this.emit({
        type: 'response.output_item.done',
        response_id: responseId,
        output_index: 0,
        item: message('completed', reply),
      }),
    );
    steps.push(() => {
      Object.assign(assistant, message('completed', reply), { audioMs: assistant.audioMs });
      this.emit({
        type: 'conversation.item.done',
        previous_item_id: assistant.previous,
        item: message('completed', reply),
      });
    });
    // A model calls the tool about what the visitor said, not again about its own tool's answer.
    if (this.behaviour.functionCall && this.lastInput !== 'function_call_output') {
      const callId = id('call');
      const callItemId = id('item');
      const name = this.behaviour.functionName ?? 'extract_keywords';
      const args = JSON.stringify(this.behaviour.functionCall);
      const fn = (status, a) => functionCallItem({ id: callItemId, callId, name }, status, a);
      const at = { response_id: responseId, item_id: callItemId, output_index: 1, call_id: callId };
      let previous_item_id = null;
      steps.push(() =>
        this.emit({
          type: 'response.output_item.added',
          response_id: responseId,
          output_index: 1,
          item: fn('in_progress', ''),
        }),
      );
      steps.push(() => {
        previous_item_id = this.insert(fn('completed', args));
        this.emit({ type: 'conversation.item.added', previous_item_id, item: fn('in_progress', '') });
      });
      steps.push(() => this.emit({ type: 'response.function_call_arguments.delta', ...at, delta: args }));
      steps.push(() => this.emit({ type: 'response.function_call_arguments.done', ...at, name, arguments: args }));
      steps.push(() =>
        this.emit({
          type: 'response.output_item.done',
          response_id: responseId,
          output_index: 1,
          item: fn('completed', args),
        }),
      );
      steps.push(() => this.emit({ type: 'conversation.item.done', previous_item_id, item: fn('completed', args) }));
      output.push(fn('completed', args));
    }
    let i = 0;
    const tick = () => {
      if (response.cancelled || this.closed) return;
      const step = steps[i++];
      if (step) {
        step();
        this.later(tick, this.behaviour.stepMs ?? 2);
        return;
      }
      this.active = null;
      this.emit({
        type: 'response.done',
        response: {
          id: responseId,
          object: 'realtime.response',
          status: 'completed',
          output,
          output_modalities: modalities,
          usage,
        },
      });
      if (this.behaviour.transcriptAfter === 'response.done') this.flushTranscripts();
      if (!textOnly && !ws)
        this.later(
          () => response.cancelled || this.emit({ type: 'output_audio_buffer.stopped', response_id: responseId }),
          20,
        );
      this.emit({
        type: 'rate_limits.updated',
        rate_limits: [
          { name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 },
          { name: 'tokens', limit: 50000, remaining: 49880, reset_seconds: 60 },
        ],
      });
    };
    tick();
  }
}
