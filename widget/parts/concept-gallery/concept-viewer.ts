// Defines <voice-buddy-concept-viewer> unless the tag is taken; the class module (concept-viewer.component.ts) has no
// side effects.
import { defineOnce } from '../../define.ts';
import { VoiceBuddyConceptViewer } from './concept-viewer.component.ts';

export { VoiceBuddyConceptViewer };

defineOnce('voice-buddy-concept-viewer', VoiceBuddyConceptViewer);
