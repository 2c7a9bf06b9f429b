// Why spoken replies stopped, per code: English in the speech chunk, not in the start-up catalogue (en.ts), which
// keeps only `speech.off` (the chunk itself did not load). The other languages have these keys in their catalogues.

export const SPEECH_TEXT = {
  'speech.quota_exceeded': 'Spoken replies have reached this site’s limit for the month; replies continue as text.',
  'speech.feature_disabled': 'Spoken replies are switched off on this site right now; replies continue as text.',
  'speech.rate_limited': 'Too many spoken replies in a short time; replies continue as text.',
  'speech.tts_playback_failed': 'This browser could not play the spoken reply; replies continue as text.',
};

export type SpeechKey = keyof typeof SPEECH_TEXT;
