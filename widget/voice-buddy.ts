import { defineOnce } from './define.ts';
import { VoiceBuddy } from './voice-buddy.element.ts';

export { VoiceBuddy };
export type {
  AvatarDetail, ConceptDetail, ErrorDetail, HandoffDetail, KeywordsDetail, SpeechDetail, StatusChangeDetail, TranscriptDetail,
  VoiceBuddyEventDetails,
} from './events.ts';

defineOnce('voice-buddy', VoiceBuddy);

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy': VoiceBuddy;
  }
}
