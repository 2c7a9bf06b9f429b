// The function tool the Worker hands to the OpenAI Realtime session, and the instructions that make the model use it.
import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { COLORS, PLACEMENTS, SIZES, STYLES } from './vocab.ts';

const motifList = (description: string) => ({ type: 'array', items: { type: 'string' }, description }) as const;

export const EXTRACT_KEYWORDS_TOOL = {
  type: 'function',
  name: 'extract_keywords',
  description:
    'Record the tattoo idea so far as design keywords. Call it whenever the idea changes, always with the WHOLE ' +
    'current idea (not just what changed), using the canonical ids listed in the schema.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    required: ['subject', 'elements', 'style', 'colors', 'placement', 'size', 'mood', 'lettering', 'exclude'],
    properties: {
      subject: motifList('Main motif(s), singular lower-case nouns, e.g. "wolf", "rose", "compass".'),
      elements: motifList('Secondary motifs around the subject, singular, e.g. "moon", "star", "banner".'),
      style: { type: 'array', items: { type: 'string', enum: [...STYLES] }, description: 'Tattoo styles.' },
      colors: {
        type: 'array',
        items: { type: 'string', enum: [...COLORS] },
        description: '"black-and-grey", "full-color" or single colours that were named.',
      },
      placement: {
        type: ['string', 'null'],
        enum: [...PLACEMENTS, null],
        description: 'Body area, or null if not said.',
      },
      size: { type: ['string', 'null'], enum: [...SIZES, null], description: 'Size class, or null if not said.' },
      mood: motifList('Adjectives the person used for the feeling, e.g. "dark", "playful", "elegant".'),
      lettering: {
        type: ['string', 'null'],
        description: 'The exact words to be written in the tattoo, without quotes, or null.',
      },
      exclude: motifList('Motifs, styles or colours the person does not want, in the same canonical form.'),
      labels: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description:
          'Only when the conversation is not in English: each English word of subject, elements, mood and exclude ' +
          "-> the word the person uses for it in the conversation's language, e.g. " +
          '{"wolf": "Wolf", "moon": "Mond"}. Shown to the person; every other argument stays English.',
      },
    },
  },
} as const satisfies RealtimeFunctionTool;

/** Lets the model start the image generation when the visitor agrees by voice; the widget does the handoff. */
export const GENERATE_CONCEPTS_TOOL = {
  type: 'function',
  name: 'generate_concepts',
  description:
    'Start drawing concept images of the current idea. Call it only after the person clearly agrees (for example ' +
    '"yes, show me", "go ahead"), or asks for a new version after a change ("make it bolder"); call ' +
    'extract_keywords first whenever the idea changed.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      reason: { type: 'string', description: 'What the person said to agree or to ask for a new version.' },
    },
  },
} as const satisfies RealtimeFunctionTool;

/** Appended to the assistant's instructions when keyword extraction is on. */
export const KEYWORD_INSTRUCTIONS =
  'Whenever the tattoo idea changes (a motif, style, colour, placement, size, mood or lettering is added, changed ' +
  'or ruled out), call the extract_keywords function with the WHOLE current idea, not only the change. Use the ' +
  'canonical ids from its schema (for example "fine-line", "black-and-grey", "upper-arm"), singular lower-case ' +
  'nouns for motifs, null for anything not yet said, and put what the person does not want in exclude. Do not ' +
  'mention the function to the person; keep talking naturally. When the idea has a subject and a placement, offer ' +
  'to draw concepts; when the person agrees, call generate_concepts.';
