import type { Keywords } from './types.ts';

/** A short, readable summary of keywords for the transcript and for the model. */
export function describeKeywords(k: Keywords): string {
  const parts = [
    ...k.subject,
    ...k.elements.map((e) => `with ${e}`),
    ...k.style,
    ...k.colors,
    k.placement && `on the ${k.placement}`,
    k.size,
    ...k.mood,
    k.lettering && `lettering "${k.lettering}"`,
    ...k.exclude.map((e) => `no ${e}`),
  ].filter(Boolean);
  return parts.join(' · ') || 'nothing yet';
}
