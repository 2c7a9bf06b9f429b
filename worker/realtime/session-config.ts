import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { EXTRACT_KEYWORDS_TOOL, GENERATE_CONCEPTS_TOOL, KEYWORD_INSTRUCTIONS } from '../../widget/keywords/tool.ts';
import { LANGUAGE_NAMES, supportedLanguage } from '../../widget/i18n/languages.ts';
import { PLACEMENTS, STYLES } from '../../widget/keywords/vocab.ts';
import type { Mode, Tenant } from '../tenants/model.ts';
import { TRANSCRIPTION_MODEL } from './models.ts';

const BASE_INSTRUCTIONS =
  'You are a friendly design assistant embedded on a website. Keep spoken answers short (one to three sentences), ' +
  'ask one question at a time, and help the visitor shape their idea.';

/**
 * Words that guide transcription of the visitor's speech (gpt-transcribe `keywords`): the design vocabulary that a
 * general model tends to miss ("irezumi", "dotwork", "trash polka", "sternum").
 */
export const TRANSCRIPTION_KEYWORDS = [
  'tattoo',
  'flash',
  'linework',
  'stippling',
  'shading',
  'irezumi',
  'koi',
  'mandala',
  'lettering',
  'stencil',
  ...STYLES.map((s) => s.replace(/-/g, ' ')),
  ...PLACEMENTS.filter((p) => !['back', 'chest', 'hand', 'foot', 'neck', 'hip'].includes(p)).map((p) =>
    p.replace(/-/g, ' '),
  ),
];

/**
 * The line that sets the conversation's language: the widget shows its text in it, so the assistant speaks it too.
 * Tool arguments stay English: the keyword vocabulary and its normaliser are English.
 */
export function languageInstruction(language: string | undefined): string {
  const lang = supportedLanguage(language);
  if (!lang) return '';
  const name = LANGUAGE_NAMES[lang];
  const spoken = name.split(' ')[0]!;
  const line =
    `Converse with the visitor in ${name}: speak and write ${spoken} unless they ask for another ` +
    'language. Keep the arguments of your tool calls in English, as the tools describe.';
  // The widget shows the motifs in the visitor's words only if the model names them; English needs none.
  return lang === 'en'
    ? line
    : `${line} In extract_keywords, also fill labels: each English word of subject, elements, mood and exclude ` +
        `-> the ${spoken} word the visitor would use for it.`;
}

export function instructionsFor(tenant: Tenant, language?: string): string {
  return [BASE_INSTRUCTIONS, tenant.persona.trim(), KEYWORD_INSTRUCTIONS, languageInstruction(language)]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * The whole session configuration is built here, never taken from a client: instructions and tools are the tenant's;
 * `language` (the widget's, else the tenant's default) adds the line that sets the conversation's language.
 * webrtc: hands-free with semantic VAD; websocket: push-to-talk (manual turns); text: text in and out.
 */
export function buildSessionConfig(
  tenant: Tenant,
  opts: { mode: Mode; model: string; voice: string; language?: string },
): RealtimeSessionCreateRequest {
  const textOnly = opts.mode === 'text';
  return {
    type: 'realtime',
    model: opts.model,
    instructions: instructionsFor(tenant, opts.language),
    output_modalities: textOnly ? ['text'] : ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        noise_reduction: { type: 'near_field' },
        transcription: {
          model: TRANSCRIPTION_MODEL,
          keywords: TRANSCRIPTION_KEYWORDS,
          ...(opts.language ? { language: opts.language } : {}),
        },
        turn_detection:
          opts.mode === 'webrtc'
            ? { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true }
            : null,
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: opts.voice },
    },
    tools: [EXTRACT_KEYWORDS_TOOL, GENERATE_CONCEPTS_TOOL],
    tool_choice: 'auto',
  };
}
