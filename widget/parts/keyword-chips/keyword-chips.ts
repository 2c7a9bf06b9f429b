// Defines <voice-buddy-keyword-chips> unless the tag is taken; the class module (keyword-chips.component.ts) has no
// side effects. Loaded lazily (../design.lazy.ts): the start-up bundle's defineOnce comes through the kit.
import { defineOnce } from '../kit.ts';
import { VoiceBuddyKeywordChips } from './keyword-chips.component.ts';

export { VoiceBuddyKeywordChips };

defineOnce('voice-buddy-keyword-chips', VoiceBuddyKeywordChips);
