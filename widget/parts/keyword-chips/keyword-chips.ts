// Defines <voice-buddy-keyword-chips> unless the tag is taken; the class module (keyword-chips.component.ts) has no side effects.
import { defineOnce } from '../../define.ts';
import { VoiceBuddyKeywordChips } from './keyword-chips.component.ts';

export { VoiceBuddyKeywordChips };

defineOnce('voice-buddy-keyword-chips', VoiceBuddyKeywordChips);
