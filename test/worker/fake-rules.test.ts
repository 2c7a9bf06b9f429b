// The fake OpenAI server's rules (test/fakes/realtime-rules.js) against the official `openai` types: every list of
// keys, models and voices the fake holds must name exactly the members of its official union. That is checked by tsc
// (`npm run typecheck`), both ways: a key the fake lists and the API does not have fails as surely as one it forgot.
import type {
  AudioTranscription,
  RealtimeAudioConfig,
  RealtimeAudioConfigInput,
  RealtimeAudioConfigOutput,
  RealtimeAudioInputTurnDetection,
  RealtimeResponse,
  RealtimeResponseCreateParams,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { EXTRACT_KEYWORDS_TOOL, GENERATE_CONCEPTS_TOOL } from '../../widget/keywords/tool.ts';
import * as rules from '../fakes/realtime-rules.js';

/** The literal members of a union that also admits any string. */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;
/** `true` when the fake's list holds exactly the official members; else what each side has that the other lacks. */
type Same<Fake extends readonly unknown[], Official> = [
  Exclude<Fake[number], Official>,
  Exclude<Official, Fake[number]>,
] extends [never, never]
  ? true
  : { onlyInTheFake: Exclude<Fake[number], Official>; onlyInTheApi: Exclude<Official, Fake[number]> };
type Agrees<T extends true> = T;

// What tsc compares (the runtime cannot see types): each line fails `npm run typecheck` unless the fake's list and
// its official union hold the same members, and the message names the members they differ by.
export type _FakeRulesAgree = [
  Agrees<Same<typeof rules.SESSION_KEYS, keyof RealtimeSessionCreateRequest>>,
  Agrees<Same<typeof rules.AUDIO_KEYS, keyof RealtimeAudioConfig>>,
  Agrees<Same<typeof rules.AUDIO_INPUT_KEYS, keyof RealtimeAudioConfigInput>>,
  Agrees<Same<typeof rules.AUDIO_OUTPUT_KEYS, keyof RealtimeAudioConfigOutput>>,
  Agrees<Same<typeof rules.TRANSCRIPTION_KEYS, keyof AudioTranscription>>,
  Agrees<Same<typeof rules.NOISE_REDUCTION_KEYS, keyof RealtimeAudioConfigInput.NoiseReduction>>,
  Agrees<Same<typeof rules.SERVER_VAD_KEYS, keyof RealtimeAudioInputTurnDetection.ServerVad>>,
  Agrees<Same<typeof rules.SEMANTIC_VAD_KEYS, keyof RealtimeAudioInputTurnDetection.SemanticVad>>,
  Agrees<Same<typeof rules.RESPONSE_KEYS, keyof RealtimeResponseCreateParams>>,
  Agrees<Same<(keyof typeof rules.REALTIME_MODELS)[], Literals<RealtimeSessionCreateRequest['model']>>>,
  Agrees<Same<(keyof typeof rules.TRANSCRIPTION_MODELS)[], Literals<AudioTranscription['model']>>>,
  // The GA session spells the voice `string | 'alloy' | ...`, which folds into string; the response's keeps the names.
  Agrees<Same<typeof rules.VOICES, Literals<RealtimeResponse.Audio.Output['voice']>>>,
];

describe('the fake OpenAI rules follow the official types', () => {
  it('names every key and voice once', () => {
    // A union cannot tell a name listed twice from one listed once; the lists can.
    const lists = Object.entries<unknown>(rules).filter((e): e is [string, readonly string[]] => Array.isArray(e[1]));
    expect(lists.length).toBe(10);
    for (const [name, list] of lists) expect(new Set(list).size, name).toBe(list.length);
  });

  it('accepts each key its lists name and refuses any other', () => {
    for (const key of rules.SESSION_KEYS)
      expect(rules.sessionProblem({ [key]: undefined, type: 'realtime' }), key).toBe(null);
    expect(rules.sessionProblem({ type: 'realtime', modalities: ['audio'] })?.param).toBe('session.modalities');
    for (const key of rules.RESPONSE_KEYS) expect(rules.responseProblem({ [key]: undefined }), key).toBe(null);
    expect(rules.responseProblem({ voice: 'alloy' })?.param).toBe('response.voice');
  });

  it('knows every model with the shutdown dates of the package doc comments', () => {
    // Which models there are is _FakeRulesAgree's to check; when each goes is in the doc comments only.
    for (const m of [
      'gpt-realtime',
      'gpt-realtime-2025-08-28',
      'gpt-realtime-mini',
      'gpt-realtime-mini-2025-12-15',
      'gpt-audio-mini',
      'gpt-audio-mini-2025-12-15',
    ] as const) {
      expect(rules.REALTIME_MODELS[m], m).toBe('2027-01-20');
    }
    for (const m of [
      'whisper-1',
      'gpt-4o-mini-transcribe',
      'gpt-4o-mini-transcribe-2025-12-15',
      'gpt-4o-transcribe',
      'gpt-4o-transcribe-diarize',
    ] as const) {
      expect(rules.TRANSCRIPTION_MODELS[m], m).toBe('2027-02-26');
    }
    expect(rules.REALTIME_MODELS['gpt-realtime-2.1']).toBe(null);
  });

  it('accepts the session the official SDK sends and refuses what the API refuses', () => {
    const sdkSession = {
      type: 'realtime',
      model: 'gpt-realtime-2.1',
      output_modalities: ['audio'],
      tool_choice: 'auto',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          noise_reduction: null,
          transcription: { model: 'gpt-transcribe' },
          turn_detection: { type: 'semantic_vad' },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, speed: 1 },
      },
    };
    expect(rules.sessionProblem(sdkSession, { today: '2026-12-01' })).toBe(null);
    expect(rules.sessionProblem({ ...sdkSession, modalities: ['audio'] })?.param).toBe('session.modalities');
    expect(rules.sessionProblem({ ...sdkSession, model: 'gpt-realtime' }, { today: '2027-01-20' })?.code).toBe(
      'model_not_found',
    );
    expect(rules.sessionProblem({ ...sdkSession, model: 'gpt-realtime' }, { today: '2027-01-19' })).toBe(null);
  });

  it("checks every nested schema of a tool's parameters as the API does, labels included", () => {
    const session = { type: 'realtime', tools: [EXTRACT_KEYWORDS_TOOL, GENERATE_CONCEPTS_TOOL] };
    expect(rules.sessionProblem(session)).toBe(null);
    const props = EXTRACT_KEYWORDS_TOOL.parameters.properties;
    const withProps = (changed: Record<string, unknown>) => ({
      type: 'realtime',
      tools: [{ ...EXTRACT_KEYWORDS_TOOL, parameters: { ...EXTRACT_KEYWORDS_TOOL.parameters, properties: changed } }],
    });
    // The API's own wording: "In context=('properties', 'subject'), array schema missing items."
    const noItems = rules.sessionProblem(withProps({ ...props, subject: { type: 'array' } }));
    expect(noItems).toMatchObject({ code: 'invalid_function_parameters', param: 'session.tools[0].parameters' });
    expect(noItems?.message).toContain("In context=('properties', 'subject'), array schema missing items");
    const labelsOfWhat = rules.sessionProblem(
      withProps({ ...props, labels: { type: 'object', additionalProperties: 'string' } }),
    );
    expect(labelsOfWhat?.message).toContain("In context=('properties', 'labels', 'additionalProperties')");
    const wrongType = rules.sessionProblem(withProps({ ...props, labels: { type: 'map' } }));
    expect(wrongType?.code).toBe('invalid_function_parameters');
    const deepItems = rules.sessionProblem(withProps({ ...props, style: { type: 'array', items: { type: 'array' } } }));
    expect(deepItems?.message).toContain("In context=('properties', 'style', 'items'), array schema missing items");
    // One response's own tools are checked the same way.
    expect(rules.responseProblem({ tools: [EXTRACT_KEYWORDS_TOOL] })).toBe(null);
    const forOne = rules.responseProblem({ tools: withProps({ ...props, mood: { type: 'array' } }).tools });
    expect(forOne).toMatchObject({ code: 'invalid_function_parameters', param: 'response.tools[0].parameters' });
  });
});
