// Defines <voice-buddy-concept-viewer> unless the tag is taken; the class module (concept-viewer.component.ts) has no
// side effects.
// Loaded lazily (../design.lazy.ts): the start-up bundle's defineOnce comes through the kit.
import { defineOnce } from '../kit.ts';
import { VoiceBuddyConceptViewer } from './concept-viewer.component.ts';

export { VoiceBuddyConceptViewer };

defineOnce('voice-buddy-concept-viewer', VoiceBuddyConceptViewer);
