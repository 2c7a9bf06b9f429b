// The tag's one define module: the sub-elements first, then <voice-buddy>, each only when its tag is not taken (a page
// that loads the script twice must not throw). Every class module it imports is free of side effects. The design
// area's parts (chips, gallery, viewer) are defined later, when first needed (parts/design.ts).
import { defineOnce } from './define.ts';
import './parts/status-pill/status-pill.ts';
import './parts/transcript/transcript.ts';
import { VoiceBuddy } from './voice-buddy.element.ts';

export { VoiceBuddy };
export type {
  AvatarDetail,
  ConceptDetail,
  ErrorDetail,
  HandoffDetail,
  KeywordsDetail,
  SelectDetail,
  SpeechDetail,
  StatusChangeDetail,
  TranscriptDetail,
  VoiceBuddyEventDetails,
} from './events.ts';

defineOnce('voice-buddy', VoiceBuddy);

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy': VoiceBuddy;
  }
}
