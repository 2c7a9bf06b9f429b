// Defines <voice-buddy-concept-gallery> unless the tag is taken; the class module (concept-gallery.component.ts) has no side effects.
import { defineOnce } from '../../define.ts';
import { VoiceBuddyConceptGallery } from './concept-gallery.component.ts';

export { VoiceBuddyConceptGallery };

defineOnce('voice-buddy-concept-gallery', VoiceBuddyConceptGallery);
