// What the OpenAI Realtime API accepts, transcribed from the official `openai` package (7.57,
// resources/realtime/realtime.d.ts) and checked against it by test/worker/fake-rules.test.ts: the keys of a session,
// of its audio settings and of response.create, the models with their announced shutdown dates, and the voices.
// A fake that accepts what this refuses is wrong, and so is one that refuses what the official client sends.

// Each list is `@type {const}` so that TypeScript sees its literal members: the test compares them with the official
// unions both ways, so a key the API does not have fails `npm run typecheck` as surely as a key the fake forgot.

/** What response.create may set for one response, over the session's own settings (RealtimeResponseCreateParams). */
const PER_RESPONSE_KEYS = /** @type {const} */ ([
  'audio',
  'instructions',
  'max_output_tokens',
  'output_modalities',
  'parallel_tool_calls',
  'prompt',
  'reasoning',
  'tool_choice',
  'tools',
]);
/** RealtimeSessionCreateRequest */
export const SESSION_KEYS = /** @type {const} */ ([
  ...PER_RESPONSE_KEYS,
  'type',
  'include',
  'model',
  'tracing',
  'truncation',
]);
/** RealtimeAudioConfig, RealtimeAudioConfigInput, RealtimeAudioConfigOutput, AudioTranscription, NoiseReduction */
export const AUDIO_KEYS = /** @type {const} */ (['input', 'output']);
export const AUDIO_INPUT_KEYS = /** @type {const} */ (['format', 'noise_reduction', 'transcription', 'turn_detection']);
export const AUDIO_OUTPUT_KEYS = /** @type {const} */ (['format', 'speed', 'voice']);
export const TRANSCRIPTION_KEYS = /** @type {const} */ ([
  'delay',
  'keywords',
  'language',
  'languages',
  'model',
  'prompt',
]);
export const NOISE_REDUCTION_KEYS = /** @type {const} */ (['strength', 'type']);
/** RealtimeAudioInputTurnDetection.ServerVad / .SemanticVad (the official SDK may add model_version) */
export const SERVER_VAD_KEYS = /** @type {const} */ ([
  'type',
  'create_response',
  'idle_timeout_ms',
  'interrupt_response',
  'prefix_padding_ms',
  'silence_duration_ms',
  'threshold',
]);
export const SEMANTIC_VAD_KEYS = /** @type {const} */ (['type', 'create_response', 'eagerness', 'interrupt_response']);
/** RealtimeResponseCreateParams */
export const RESPONSE_KEYS = /** @type {const} */ ([...PER_RESPONSE_KEYS, 'conversation', 'input', 'metadata']);
/**
 * RealtimeResponse.Audio.Output's voice (where the package spells the open end `string & {}`, so the names stay):
 * eight, and the two that came with the GA models, which the package recommends.
 */
const EARLIER_VOICES = /** @type {const} */ (['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse']);
export const VOICES = /** @type {const} */ ([...EARLIER_VOICES, 'marin', 'cedar']);

/**
 * Realtime models (the `model` union of RealtimeSessionCreateRequest) and their announced shutdown dates: the
 * package's doc comment names six for 2027-01-20; ../shared/PROTOCOLS.md adds the older previews to that date.
 */
export const REALTIME_MODELS = /** @type {const} */ ({
  'gpt-realtime-2.1': null,
  'gpt-realtime-2.1-mini': null,
  'gpt-realtime-2': null,
  'gpt-realtime-1.5': null,
  'gpt-audio-1.5': null,
  'gpt-realtime-mini-2025-10-06': null,
  'gpt-audio-mini-2025-10-06': null,
  'gpt-realtime': '2027-01-20',
  'gpt-realtime-2025-08-28': '2027-01-20',
  'gpt-realtime-mini': '2027-01-20',
  'gpt-realtime-mini-2025-12-15': '2027-01-20',
  'gpt-audio-mini': '2027-01-20',
  'gpt-audio-mini-2025-12-15': '2027-01-20',
  'gpt-4o-realtime-preview': '2027-01-20',
  'gpt-4o-realtime-preview-2024-10-01': '2027-01-20',
  'gpt-4o-realtime-preview-2024-12-17': '2027-01-20',
  'gpt-4o-realtime-preview-2025-06-03': '2027-01-20',
  'gpt-4o-mini-realtime-preview': '2027-01-20',
  'gpt-4o-mini-realtime-preview-2024-12-17': '2027-01-20',
});
/** Transcription models (AudioTranscription.model) and their announced shutdown dates. */
export const TRANSCRIPTION_MODELS = /** @type {const} */ ({
  'gpt-transcribe': null,
  'gpt-live-transcribe': null,
  'gpt-realtime-whisper': null,
  'whisper-1': '2027-02-26',
  'gpt-4o-mini-transcribe': '2027-02-26',
  'gpt-4o-mini-transcribe-2025-12-15': '2027-02-26',
  'gpt-4o-transcribe': '2027-02-26',
  'gpt-4o-transcribe-diarize': '2027-02-26',
});

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const problem = (code, message, param) => ({ code, message, param });
const unknownKey = (obj, allowed, path) => {
  const key = Object.keys(obj).find((k) => !allowed.includes(k));
  return key ? problem('unknown_parameter', `Unknown parameter: '${path}.${key}'.`, `${path}.${key}`) : null;
};

/** A model that does not exist, or whose shutdown date has passed on `today` (YYYY-MM-DD), with the API's error. */
export function modelProblem(model, today, list = REALTIME_MODELS, param = 'session.model') {
  if (!(model in list))
    return problem('model_not_found', `The model '${model}' does not exist or you do not have access to it.`, param);
  const shutdown = list[model];
  if (shutdown && today >= shutdown)
    return problem(
      'model_not_found',
      `The model '${model}' has been deprecated and was shut down on ${shutdown}.`,
      param,
    );
  return null;
}

function turnDetectionProblem(td, path) {
  if (td === null) return null;
  if (!isObject(td)) return problem('invalid_type', `Invalid type for '${path}': expected an object or null.`, path);
  if (td.type === 'server_vad') return unknownKey(td, [...SERVER_VAD_KEYS, 'model_version'], path);
  if (td.type === 'semantic_vad') {
    if (td.eagerness !== undefined && !['low', 'medium', 'high', 'auto'].includes(td.eagerness))
      return problem('invalid_value', `Invalid value for '${path}.eagerness'.`, `${path}.eagerness`);
    return unknownKey(td, [...SEMANTIC_VAD_KEYS, 'model_version'], path);
  }
  return problem(
    'invalid_value',
    `Invalid value for '${path}.type': expected 'server_vad' or 'semantic_vad'.`,
    `${path}.type`,
  );
}

function formatProblem(f, path) {
  if (f === undefined) return null;
  if (!isObject(f)) return problem('invalid_type', `Invalid type for '${path}'.`, path);
  if (f.type === 'audio/pcm') {
    if (f.rate !== undefined && f.rate !== 24000)
      return problem('invalid_value', `Invalid value for '${path}.rate': only 24000 is supported.`, `${path}.rate`);
    return unknownKey(f, ['type', 'rate'], path);
  }
  if (f.type === 'audio/pcmu' || f.type === 'audio/pcma') return unknownKey(f, ['type'], path);
  return problem('invalid_value', `Invalid value for '${path}.type'.`, `${path}.type`);
}

function audioProblem(audio, today) {
  if (!isObject(audio)) return problem('invalid_type', "Invalid type for 'session.audio'.", 'session.audio');
  const top = unknownKey(audio, AUDIO_KEYS, 'session.audio');
  if (top) return top;
  const input = audio.input;
  if (input !== undefined) {
    if (!isObject(input))
      return problem('invalid_type', "Invalid type for 'session.audio.input'.", 'session.audio.input');
    const p =
      unknownKey(input, AUDIO_INPUT_KEYS, 'session.audio.input') ??
      formatProblem(input.format, 'session.audio.input.format');
    if (p) return p;
    if (input.noise_reduction != null) {
      const nr = input.noise_reduction;
      if (!isObject(nr))
        return problem(
          'invalid_type',
          "Invalid type for 'session.audio.input.noise_reduction'.",
          'session.audio.input.noise_reduction',
        );
      const q = unknownKey(nr, NOISE_REDUCTION_KEYS, 'session.audio.input.noise_reduction');
      if (q) return q;
      if (nr.type !== undefined && !['near_field', 'far_field'].includes(nr.type))
        return problem(
          'invalid_value',
          "Invalid value for 'session.audio.input.noise_reduction.type'.",
          'session.audio.input.noise_reduction.type',
        );
    }
    if (input.transcription != null) {
      const t = input.transcription;
      if (!isObject(t))
        return problem(
          'invalid_type',
          "Invalid type for 'session.audio.input.transcription'.",
          'session.audio.input.transcription',
        );
      const q = unknownKey(t, TRANSCRIPTION_KEYS, 'session.audio.input.transcription');
      if (q) return q;
      if (t.model !== undefined) {
        const m = modelProblem(t.model, today, TRANSCRIPTION_MODELS, 'session.audio.input.transcription.model');
        if (m) return m;
      }
      if (
        (t.keywords !== undefined || t.languages !== undefined) &&
        !['gpt-transcribe', 'gpt-live-transcribe'].includes(t.model)
      ) {
        return problem(
          'invalid_value',
          `'keywords' and 'languages' are supported only by gpt-transcribe and gpt-live-transcribe.`,
          'session.audio.input.transcription.keywords',
        );
      }
      if (t.keywords !== undefined && (!Array.isArray(t.keywords) || t.keywords.some((k) => typeof k !== 'string'))) {
        return problem(
          'invalid_type',
          "Invalid type for 'session.audio.input.transcription.keywords': expected an array of strings.",
          'session.audio.input.transcription.keywords',
        );
      }
      if (t.language !== undefined && !/^[a-z]{2}$/.test(t.language))
        return problem(
          'invalid_value',
          "Invalid 'language': expected an ISO-639-1 code like 'en'.",
          'session.audio.input.transcription.language',
        );
    }
    if ('turn_detection' in input) {
      const q = turnDetectionProblem(input.turn_detection, 'session.audio.input.turn_detection');
      if (q) return q;
    }
  }
  const output = audio.output;
  if (output !== undefined) {
    if (!isObject(output))
      return problem('invalid_type', "Invalid type for 'session.audio.output'.", 'session.audio.output');
    const p =
      unknownKey(output, AUDIO_OUTPUT_KEYS, 'session.audio.output') ??
      formatProblem(output.format, 'session.audio.output.format');
    if (p) return p;
    if (output.speed !== undefined && (typeof output.speed !== 'number' || output.speed < 0.25 || output.speed > 1.5)) {
      return problem(
        'invalid_value',
        "Invalid 'session.audio.output.speed': expected a number from 0.25 to 1.5.",
        'session.audio.output.speed',
      );
    }
    const v = output.voice;
    if (v !== undefined && !(typeof v === 'string' ? VOICES.includes(v) : isObject(v) && typeof v.id === 'string')) {
      return problem(
        'invalid_value',
        `Invalid value for 'session.audio.output.voice': '${v}'.`,
        'session.audio.output.voice',
      );
    }
  }
  return null;
}

const SCHEMA_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
/**
 * What the API's JSON Schema check refuses in a function's parameters, down every nested schema: an unknown `type`,
 * an array without `items` ("array schema missing items", code invalid_function_parameters), `additionalProperties`
 * that is neither a boolean nor a schema, a non-array `required` or `enum`. `at` is the context the API's message
 * names; null when it is fine.
 */
function schemaProblem(schema, at) {
  if (!isObject(schema)) return { at, why: `${JSON.stringify(schema)} is not of type 'object', 'boolean'` };
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const unknownType = types.find((t) => !SCHEMA_TYPES.includes(t));
  if (unknownType !== undefined) return { at, why: `${JSON.stringify(unknownType)} is not a valid type` };
  if (schema.enum !== undefined && !Array.isArray(schema.enum))
    return { at, why: `${JSON.stringify(schema.enum)} is not of type 'array'` };
  if (types.includes('array') && schema.items === undefined) return { at, why: 'array schema missing items' };
  if (schema.items !== undefined) {
    const p = schemaProblem(schema.items, [...at, 'items']);
    if (p) return p;
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && typeof extra !== 'boolean') {
    const p = schemaProblem(extra, [...at, 'additionalProperties']);
    if (p) return p;
  }
  const props = schema.properties ?? {};
  if (!isObject(props)) return { at, why: "'properties' is not of type 'object'" };
  for (const [key, sub] of Object.entries(props)) {
    const p = schemaProblem(sub, [...at, 'properties', key]);
    if (p) return p;
  }
  if (schema.required !== undefined && !Array.isArray(schema.required))
    return { at, why: `${JSON.stringify(schema.required)} is not of type 'array'` };
  return null;
}

/** Checks a list of function tools (a session's, or one response's), their nested parameter schemas included. */
function toolsProblem(tools, path) {
  if (!Array.isArray(tools)) return problem('invalid_type', `Invalid type for '${path}'.`, path);
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool) || tool.type !== 'function' || typeof tool.name !== 'string')
      return problem('invalid_value', `Invalid value for '${path}[${i}]'.`, `${path}[${i}]`);
    const q = unknownKey(tool, ['type', 'name', 'description', 'parameters'], `${path}[${i}]`);
    if (q) return q;
    if (tool.parameters !== undefined && tool.parameters?.type !== 'object')
      return problem(
        'invalid_function_parameters',
        `Invalid schema for function '${tool.name}': parameters must be an object schema.`,
        `${path}[${i}].parameters`,
      );
    const bad = tool.parameters === undefined ? null : schemaProblem(tool.parameters, []);
    if (bad)
      return problem(
        'invalid_function_parameters',
        `Invalid schema for function '${tool.name}': In context=(${bad.at.map((k) => `'${k}'`).join(', ')}), ` +
          `${bad.why}.`,
        `${path}[${i}].parameters`,
      );
  }
  return null;
}

/** Checks a session object (client_secrets, calls, session.update) the way the API does; null when it is fine. */
export function sessionProblem(session, { today = new Date().toISOString().slice(0, 10) } = {}) {
  if (!isObject(session))
    return problem('missing_required_parameter', "Missing required parameter: 'session'.", 'session');
  if (session.type !== 'realtime')
    return problem('missing_required_parameter', "Missing required parameter: 'session.type'.", 'session.type');
  const unknown = unknownKey(session, SESSION_KEYS, 'session');
  if (unknown) return unknown;
  if (session.model !== undefined) {
    const m = modelProblem(session.model, today);
    if (m) return m;
  }
  if (session.output_modalities !== undefined) {
    const om = session.output_modalities;
    if (!Array.isArray(om) || om.length !== 1 || !['audio', 'text'].includes(om[0])) {
      return problem(
        'invalid_value',
        "Invalid value for 'session.output_modalities': expected ['audio'] or ['text'].",
        'session.output_modalities',
      );
    }
  }
  if (session.audio !== undefined) {
    const a = audioProblem(session.audio, today);
    if (a) return a;
  }
  if (session.tools !== undefined) {
    const t = toolsProblem(session.tools, 'session.tools');
    if (t) return t;
  }
  if (
    session.tool_choice !== undefined &&
    !['auto', 'none', 'required'].includes(session.tool_choice) &&
    !isObject(session.tool_choice)
  ) {
    return problem('invalid_value', "Invalid value for 'session.tool_choice'.", 'session.tool_choice');
  }
  if (
    session.tracing !== undefined &&
    session.tracing !== null &&
    session.tracing !== 'auto' &&
    !isObject(session.tracing)
  ) {
    return problem('invalid_value', "Invalid value for 'session.tracing'.", 'session.tracing');
  }
  if (
    session.max_output_tokens !== undefined &&
    session.max_output_tokens !== 'inf' &&
    !(
      Number.isInteger(session.max_output_tokens) &&
      session.max_output_tokens >= 1 &&
      session.max_output_tokens <= 4096
    )
  ) {
    return problem(
      'invalid_value',
      "Invalid 'session.max_output_tokens': expected an integer from 1 to 4096 or 'inf'.",
      'session.max_output_tokens',
    );
  }
  return null;
}

/** Checks the optional `response` of response.create. */
export function responseProblem(response) {
  if (response === undefined) return null;
  if (!isObject(response)) return problem('invalid_type', "Invalid type for 'response'.", 'response');
  const unknown = unknownKey(response, RESPONSE_KEYS, 'response');
  if (unknown) return unknown;
  if (response.tools !== undefined) {
    const t = toolsProblem(response.tools, 'response.tools');
    if (t) return t;
  }
  if (response.output_modalities !== undefined) {
    const om = response.output_modalities;
    if (!Array.isArray(om) || om.length !== 1 || !['audio', 'text'].includes(om[0]))
      return problem('invalid_value', "Invalid value for 'response.output_modalities'.", 'response.output_modalities');
  }
  return null;
}

/** Checks an item of conversation.item.create. */
export function itemProblem(item) {
  if (!isObject(item)) return problem('missing_required_parameter', "Missing required parameter: 'item'.", 'item');
  if (item.type === 'message') {
    const allowed = {
      user: ['input_text', 'input_audio', 'input_image'],
      system: ['input_text'],
      assistant: ['output_text', 'output_audio'],
    }[item.role];
    if (!allowed) return problem('invalid_value', "Invalid value for 'item.role'.", 'item.role');
    if (!Array.isArray(item.content))
      return problem('missing_required_parameter', "Missing required parameter: 'item.content'.", 'item.content');
    const bad = item.content.findIndex((c) => !isObject(c) || !allowed.includes(c.type));
    if (bad >= 0)
      return problem(
        'invalid_value',
        `Invalid value for 'item.content[${bad}].type' in a ${item.role} message.`,
        `item.content[${bad}].type`,
      );
    return unknownKey(item, ['id', 'type', 'role', 'content', 'status', 'object'], 'item');
  }
  if (item.type === 'function_call_output') {
    if (typeof item.call_id !== 'string')
      return problem('missing_required_parameter', "Missing required parameter: 'item.call_id'.", 'item.call_id');
    if (typeof item.output !== 'string')
      return problem('invalid_type', "Invalid type for 'item.output': expected a string.", 'item.output');
    return unknownKey(item, ['id', 'type', 'call_id', 'output', 'status', 'object'], 'item');
  }
  if (item.type === 'function_call')
    return unknownKey(item, ['id', 'type', 'call_id', 'name', 'arguments', 'status', 'object'], 'item');
  return problem('invalid_value', `Invalid value for 'item.type': '${item.type}'.`, 'item.type');
}
