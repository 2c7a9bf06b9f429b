// Defines <voice-buddy-status-pill> unless the tag is taken; the class module (status-pill.component.ts) has no side
// effects.
import { defineOnce } from '../../define.ts';
import { VoiceBuddyStatusPill } from './status-pill.component.ts';

export { VoiceBuddyStatusPill };

defineOnce('voice-buddy-status-pill', VoiceBuddyStatusPill);
