// The design area's guarded defines, imported by design.lazy.ts once the kit is in place.
import './concept-gallery/concept-viewer.ts';
import './concept-gallery/concept-gallery.ts';
import './keyword-chips/keyword-chips.ts';
