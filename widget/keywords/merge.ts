// Folds one update (a model's tool call or a locally extracted sentence) into the idea so far.
import { normaliseKeywords } from './normalise.ts';
import type { Keywords } from './types.ts';

const SHADES = ['black-and-grey', 'full-color'] as const;

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * `update` wins for placement, size and lettering when it says something (null or absent means "not mentioned",
 * so a sentence about colour does not wipe the placement). Lists are unioned. Whatever `update.exclude` names is
 * removed from subject, elements, style and colours and kept in exclude; asking for something again takes it out
 * of exclude. Choosing black-and-grey drops full-color and the other way round. Both inputs are normalised first,
 * so a raw tool call can be passed straight in.
 */
export function mergeKeywords(current: Keywords, update: Partial<Keywords>): Keywords {
  const base = normaliseKeywords(current);
  const next = normaliseKeywords(update);
  const asked = new Set([...next.subject, ...next.elements, ...next.style, ...next.colors]);
  // An update that both asks for and excludes an item is read as excluding it.
  const banned = new Set(next.exclude);
  const keep = (items: string[]): string[] => items.filter((item) => !banned.has(item));

  const subject = keep(union(base.subject, next.subject));
  // Promoted to subject: no longer an element.
  const elements = keep(union(base.elements, next.elements)).filter((m) => !subject.includes(m));
  let colors = keep(union(base.colors, next.colors));
  const chosen = [...next.colors].reverse().find((c) => (SHADES as readonly string[]).includes(c));
  if (chosen) colors = colors.filter((c) => c === chosen || !(SHADES as readonly string[]).includes(c));

  return {
    subject,
    elements,
    style: keep(union(base.style, next.style)),
    colors,
    placement: next.placement ?? base.placement,
    size: next.size ?? base.size,
    mood: union(base.mood, next.mood),
    lettering: next.lettering ?? base.lettering,
    exclude: union(
      base.exclude.filter((item) => !asked.has(item) || banned.has(item)),
      next.exclude,
    ),
  };
}
