// The fake OpenAI server's rules (test/fakes/realtime-rules.js) against the official `openai` types: the lists below
// must name every key and every model of those types (tsc fails otherwise), and the fake must hold exactly them.
import type {
  AudioTranscription,
  RealtimeAudioConfig,
  RealtimeAudioConfigInput,
  RealtimeAudioConfigOutput,
  RealtimeAudioInputTurnDetection,
  RealtimeResponseCreateParams,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import * as rules from '../fakes/realtime-rules.js';

/** The literal members of a union that also admits any string. */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;
/** True only when the list names every member of U. */
type Covers<U, L extends readonly unknown[]> = [Exclude<U, L[number]>] extends [never] ? true : false;
const covers = <U, L extends readonly U[]>(list: L, ok: Covers<U, L>) => (ok ? [...list].sort() : []);

const SESSION = [
  'type',
  'audio',
  'include',
  'instructions',
  'max_output_tokens',
  'model',
  'output_modalities',
  'parallel_tool_calls',
  'prompt',
  'reasoning',
  'tool_choice',
  'tools',
  'tracing',
  'truncation',
] as const;
const AUDIO = ['input', 'output'] as const;
const INPUT = ['format', 'noise_reduction', 'transcription', 'turn_detection'] as const;
const OUTPUT = ['format', 'speed', 'voice'] as const;
const TRANSCRIPTION = ['delay', 'keywords', 'language', 'languages', 'model', 'prompt'] as const;
const SERVER_VAD = [
  'type',
  'create_response',
  'idle_timeout_ms',
  'interrupt_response',
  'prefix_padding_ms',
  'silence_duration_ms',
  'threshold',
] as const;
const SEMANTIC_VAD = ['type', 'create_response', 'eagerness', 'interrupt_response'] as const;
const RESPONSE = [
  'audio',
  'conversation',
  'input',
  'instructions',
  'max_output_tokens',
  'metadata',
  'output_modalities',
  'parallel_tool_calls',
  'prompt',
  'reasoning',
  'tool_choice',
  'tools',
] as const;
const MODELS = [
  'gpt-realtime',
  'gpt-realtime-1.5',
  'gpt-realtime-2',
  'gpt-realtime-2.1',
  'gpt-realtime-2.1-mini',
  'gpt-realtime-2025-08-28',
  'gpt-4o-realtime-preview',
  'gpt-4o-realtime-preview-2024-10-01',
  'gpt-4o-realtime-preview-2024-12-17',
  'gpt-4o-realtime-preview-2025-06-03',
  'gpt-4o-mini-realtime-preview',
  'gpt-4o-mini-realtime-preview-2024-12-17',
  'gpt-realtime-mini',
  'gpt-realtime-mini-2025-10-06',
  'gpt-realtime-mini-2025-12-15',
  'gpt-audio-1.5',
  'gpt-audio-mini',
  'gpt-audio-mini-2025-10-06',
  'gpt-audio-mini-2025-12-15',
] as const;
const TRANSCRIBERS = [
  'whisper-1',
  'gpt-transcribe',
  'gpt-live-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-mini-transcribe-2025-12-15',
  'gpt-4o-transcribe',
  'gpt-4o-transcribe-diarize',
  'gpt-realtime-whisper',
] as const;
const VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'] as const;

const sorted = (a: readonly string[]) => [...a].sort();

describe('the fake OpenAI rules follow the official types', () => {
  it('knows every key of a session, its audio settings and response.create', () => {
    expect(sorted(rules.SESSION_KEYS)).toEqual(
      covers<keyof RealtimeSessionCreateRequest, typeof SESSION>(SESSION, true),
    );
    expect(sorted(rules.AUDIO_KEYS)).toEqual(covers<keyof RealtimeAudioConfig, typeof AUDIO>(AUDIO, true));
    expect(sorted(rules.AUDIO_INPUT_KEYS)).toEqual(covers<keyof RealtimeAudioConfigInput, typeof INPUT>(INPUT, true));
    expect(sorted(rules.AUDIO_OUTPUT_KEYS)).toEqual(
      covers<keyof RealtimeAudioConfigOutput, typeof OUTPUT>(OUTPUT, true),
    );
    expect(sorted(rules.TRANSCRIPTION_KEYS)).toEqual(
      covers<keyof AudioTranscription, typeof TRANSCRIPTION>(TRANSCRIPTION, true),
    );
    expect(sorted(rules.SERVER_VAD_KEYS)).toEqual(
      covers<keyof RealtimeAudioInputTurnDetection.ServerVad, typeof SERVER_VAD>(SERVER_VAD, true),
    );
    expect(sorted(rules.SEMANTIC_VAD_KEYS)).toEqual(
      covers<keyof RealtimeAudioInputTurnDetection.SemanticVad, typeof SEMANTIC_VAD>(SEMANTIC_VAD, true),
    );
    expect(sorted(rules.RESPONSE_KEYS)).toEqual(
      covers<keyof RealtimeResponseCreateParams, typeof RESPONSE>(RESPONSE, true),
    );
  });

  it('knows every model and voice, with the shutdown dates of the package doc comments', () => {
    expect(sorted(Object.keys(rules.REALTIME_MODELS))).toEqual(
      covers<Literals<RealtimeSessionCreateRequest['model']>, typeof MODELS>(MODELS, true),
    );
    expect(sorted(Object.keys(rules.TRANSCRIPTION_MODELS))).toEqual(
      covers<Literals<AudioTranscription['model']>, typeof TRANSCRIBERS>(TRANSCRIBERS, true),
    );
    // The voice type is `string | 'alloy' | ...`, which TypeScript folds into string: the list is the doc comment's.
    expect(sorted(rules.VOICES)).toEqual(sorted(VOICES));
    for (const m of [
      'gpt-realtime',
      'gpt-realtime-2025-08-28',
      'gpt-realtime-mini',
      'gpt-realtime-mini-2025-12-15',
      'gpt-audio-mini',
      'gpt-audio-mini-2025-12-15',
    ]) {
      expect(rules.REALTIME_MODELS[m], m).toBe('2027-01-20');
    }
    for (const m of [
      'whisper-1',
      'gpt-4o-mini-transcribe',
      'gpt-4o-mini-transcribe-2025-12-15',
      'gpt-4o-transcribe',
      'gpt-4o-transcribe-diarize',
    ]) {
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
    expect(rules.sessionProblem({ ...sdkSession, modalities: ['audio'] }).param).toBe('session.modalities');
    expect(rules.sessionProblem({ ...sdkSession, model: 'gpt-realtime' }, { today: '2027-01-20' }).code).toBe(
      'model_not_found',
    );
    expect(rules.sessionProblem({ ...sdkSession, model: 'gpt-realtime' }, { today: '2027-01-19' })).toBe(null);
  });
});
