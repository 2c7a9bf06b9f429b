// The design keywords as the Worker accepts them from a client: the handoff body and the visitor's brief item.
import * as v from 'valibot';
import type { Keywords } from '../widget/keywords/types.ts';

// Bounds keep a prompt, a webhook body and an SVG card small whatever a client sends.
const term = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(60),
  v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
);
const terms = v.optional(v.pipe(v.array(term), v.maxLength(12, 'must have at most 12 entries')), []);
const single = (max: number) =>
  v.optional(
    v.nullable(
      v.pipe(v.string(), v.trim(), v.maxLength(max), v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')),
    ),
    null,
  );

/** The shape of `Keywords` (widget/keywords/types.ts); a missing list counts as empty, a missing value as null. */
export const KeywordsSchema = v.strictObject({
  subject: terms,
  elements: terms,
  style: terms,
  colors: terms,
  placement: single(40),
  size: single(40),
  mood: terms,
  lettering: single(80),
  exclude: terms,
});

const dedupe = (items: string[]) => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** Deduplicated (ignoring case), empty values as null. */
export function tidyKeywords(k: v.InferOutput<typeof KeywordsSchema>): Keywords {
  return {
    subject: dedupe(k.subject),
    elements: dedupe(k.elements),
    style: dedupe(k.style),
    colors: dedupe(k.colors),
    placement: k.placement || null,
    size: k.size || null,
    mood: dedupe(k.mood),
    lettering: k.lettering || null,
    exclude: dedupe(k.exclude),
  };
}
