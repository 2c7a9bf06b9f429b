// Realtime and transcription models as the official `openai` package (7.57) names them, with the shutdown dates
// its doc comments announce. A tenant may not be set to a model with an announced shutdown: migration
// 0005_current_models.sql moved every tenant off them, and the admin API refuses them (400 model_retired).

export const DEFAULT_MODEL = 'gpt-realtime-2.1';
export const DEFAULT_MODELS = ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'];
/**
 * Supports `keywords` (the design vocabulary) and `language`; the 4o transcribers and whisper-1 shut down 2027-02-26.
 */
export const TRANSCRIPTION_MODEL = 'gpt-transcribe';

/** The Realtime API's voices. */
export const VOICES = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
] as const;

/** Model -> [shutdown date, replacement]. */
const RETIRING: Record<string, [string, string]> = {
  'gpt-realtime': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-realtime-2025-08-28': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-realtime-mini': ['2027-01-20', 'gpt-realtime-2.1-mini'],
  'gpt-realtime-mini-2025-12-15': ['2027-01-20', 'gpt-realtime-2.1-mini'],
  'gpt-audio-mini': ['2027-01-20', 'gpt-realtime-2.1-mini'],
  'gpt-audio-mini-2025-12-15': ['2027-01-20', 'gpt-realtime-2.1-mini'],
  'gpt-4o-realtime-preview': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-4o-realtime-preview-2024-10-01': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-4o-realtime-preview-2024-12-17': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-4o-realtime-preview-2025-06-03': ['2027-01-20', 'gpt-realtime-2.1'],
  'gpt-4o-mini-realtime-preview': ['2027-01-20', 'gpt-realtime-2.1-mini'],
  'gpt-4o-mini-realtime-preview-2024-12-17': ['2027-01-20', 'gpt-realtime-2.1-mini'],
};

/** Why a model may not be configured, as a sentence, or null when it is current. */
export function retiredModel(model: string): string | null {
  const r = RETIRING[model];
  return r ? `${model} is retired by OpenAI (shutdown ${r[0]}); use ${r[1]}` : null;
}
