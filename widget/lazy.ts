// Lazily loaded parts of the widget. The ES build turns these into chunks next to the script; the IIFE build
// replaces this module with lazy.iife.ts, which loads the same chunks by URL.
export const loadKeywordTools = () => import('./keywords/keywords.lazy.ts');
export const loadAvatar = () => import('./avatar/avatar.lazy.ts');
export const loadSpeech = () => import('./tts/speech.lazy.ts');
export const loadTelemetry = () => import('./telemetry/telemetry.lazy.ts');
export const loadDesignParts = () => import('./parts/design.lazy.ts');
export const loadPcmAudio = () => import('./controllers/pcm.lazy.ts');
