// Defines <voice-buddy-transcript> unless the tag is taken; the class module (transcript.component.ts) has no side
// effects.
import { defineOnce } from '../../define.ts';
import { VoiceBuddyTranscript } from './transcript.component.ts';

export { VoiceBuddyTranscript };

defineOnce('voice-buddy-transcript', VoiceBuddyTranscript);
