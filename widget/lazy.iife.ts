// The IIFE build's lazy loader: a classic script cannot split itself, so it loads the ES build's chunks, which are
// self-contained, from next to itself (dist/chunks/, by the hashed names the ES build recorded).
import { ASSET_FILES } from './assets.ts';
import { SCRIPT_URL } from './attributes.ts';
import type { Catalogue } from './i18n/en.ts';
import type { Language } from './i18n/languages.ts';
import type * as Avatar from './avatar/avatar.lazy.ts';
import type * as PcmAudio from './controllers/pcm.lazy.ts';
import type * as KeywordTools from './keywords/keywords.lazy.ts';
import type * as Conversation from './realtime/conversation.lazy.ts';
import type * as DesignParts from './parts/design.lazy.ts';
import type * as Speech from './tts/speech.lazy.ts';
import type * as Telemetry from './telemetry/telemetry.lazy.ts';

const chunk = <T>(name: string): Promise<T> => {
  // The build gives each chunk's content hash by its module's name (`de` for de.lazy.ts); the file is named as
  // vite.config.ts's CHUNK_FILE says.
  const hash = ASSET_FILES.chunks[name];
  if (!hash) return Promise.reject(new Error(`voice-buddy: the build has no chunk "${name}"`));
  const url = new URL(`chunks/voice-buddy-${name}.lazy-${hash}.js`, SCRIPT_URL).href;
  return import(/* @vite-ignore */ url) as Promise<T>;
};

export const loadKeywordTools = () => chunk<typeof KeywordTools>('keywords');
export const loadAvatar = () => chunk<typeof Avatar>('avatar');
export const loadSpeech = () => chunk<typeof Speech>('speech');
export const loadTelemetry = () => chunk<typeof Telemetry>('telemetry');
export const loadDesignParts = () => chunk<typeof DesignParts>('design');
export const loadPcmAudio = () => chunk<typeof PcmAudio>('pcm');
export const loadConversation = () => chunk<typeof Conversation>('conversation');
export const loadCatalogue = (lang: Exclude<Language, 'en'>) => chunk<{ default: Catalogue }>(lang);
