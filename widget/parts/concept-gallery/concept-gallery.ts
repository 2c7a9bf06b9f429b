// Defines <voice-buddy-concept-gallery> unless the tag is taken; the class module (concept-gallery.component.ts) has no
// side effects. Loaded lazily (../design.lazy.ts): the start-up bundle's defineOnce comes through the kit.
import { defineOnce } from '../kit.ts';
import { VoiceBuddyConceptGallery } from './concept-gallery.component.ts';

export { VoiceBuddyConceptGallery };

defineOnce('voice-buddy-concept-gallery', VoiceBuddyConceptGallery);
