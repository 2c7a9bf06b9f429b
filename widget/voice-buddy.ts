import { defineOnce } from './define.ts';
import { VoiceBuddy } from './voice-buddy.element.ts';

export { VoiceBuddy };
export type { ConceptDetail, ErrorDetail, HandoffDetail, KeywordsDetail, StatusChangeDetail, TranscriptDetail } from './voice-buddy.element.ts';
export type { AvatarDetail } from './avatar/host.ts';
export type { SpeechDetail } from './tts/host.ts';

defineOnce('voice-buddy', VoiceBuddy);

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy': VoiceBuddy;
  }
}
