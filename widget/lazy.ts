// Lazily loaded parts of the widget. The ES build turns these into chunks next to the script; the IIFE build
// replaces this module with lazy.iife.ts, which loads the same chunks by URL.
import type { Catalogue } from './i18n/en.ts';
import type { Language } from './i18n/languages.ts';

export const loadKeywordTools = () => import('./keywords/keywords.lazy.ts');
export const loadAvatar = () => import('./avatar/avatar.lazy.ts');
export const loadSpeech = () => import('./tts/speech.lazy.ts');
export const loadTelemetry = () => import('./telemetry/telemetry.lazy.ts');
export const loadDesignParts = () => import('./parts/design.lazy.ts');
export const loadPcmAudio = () => import('./controllers/pcm.lazy.ts');
export const loadConversation = () => import('./realtime/conversation.lazy.ts');

/** One language's texts (widget/i18n/lang/): English is built in, the others load when a widget needs them. */
const CATALOGUES: Record<Exclude<Language, 'en'>, () => Promise<{ default: Catalogue }>> = {
  de: () => import('./i18n/lang/de.lazy.ts'),
  fr: () => import('./i18n/lang/fr.lazy.ts'),
  es: () => import('./i18n/lang/es.lazy.ts'),
  it: () => import('./i18n/lang/it.lazy.ts'),
  pt: () => import('./i18n/lang/pt.lazy.ts'),
  nl: () => import('./i18n/lang/nl.lazy.ts'),
  pl: () => import('./i18n/lang/pl.lazy.ts'),
  tr: () => import('./i18n/lang/tr.lazy.ts'),
  ja: () => import('./i18n/lang/ja.lazy.ts'),
  zh: () => import('./i18n/lang/zh.lazy.ts'),
  ko: () => import('./i18n/lang/ko.lazy.ts'),
  hi: () => import('./i18n/lang/hi.lazy.ts'),
  ar: () => import('./i18n/lang/ar.lazy.ts'),
  he: () => import('./i18n/lang/he.lazy.ts'),
};
export const loadCatalogue = (lang: Exclude<Language, 'en'>) => CATALOGUES[lang]();
