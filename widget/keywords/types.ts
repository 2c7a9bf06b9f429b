import type { Color, Placement, Size, Style } from './vocab.ts';

/** What a tattoo idea boils down to; every field is always present (empty list or null when unsaid). */
export interface Keywords {
  /** Main motif(s), singular and lower-case: "wolf", "rose", "compass". */
  subject: string[];
  /** Secondary motifs around the subject: "moon", "star", "banner". */
  elements: string[];
  /** Canonical style ids, see `STYLES`. Kept as `string[]` so model output can be held before it is checked. */
  style: string[];
  /** `black-and-grey`, `full-color` or single colours, see `COLORS`. */
  colors: string[];
  /** One canonical body area, see `PLACEMENTS`. */
  placement: string | null;
  /** `tiny` | `small` | `medium` | `large` | `extra-large`. */
  size: string | null;
  /** Free adjectives for the feeling: "dark", "playful". */
  mood: string[];
  /** The exact words to be written. */
  lettering: string | null;
  /** Motifs, styles or colours the person said they do not want, in canonical form. */
  exclude: string[];
}

/** The canonical ids, for code that wants the narrow types after `normaliseKeywords`. */
export type { Color, Placement, Size, Style };

export function emptyKeywords(): Keywords {
  return {
    subject: [],
    elements: [],
    style: [],
    colors: [],
    placement: null,
    size: null,
    mood: [],
    lettering: null,
    exclude: [],
  };
}
