import type { Keywords } from '../../widget/keywords/types.ts';

/**
 * The image prompt built from keywords. Deterministic: the same keywords always give the same text, in the order the
 * visitor gave them, so a generation can be reproduced and a refine differs only by what changed. Shape:
 *
 *   Tattoo design concept. Subject: wolf. With: moon, star. Style: traditional. Colours: black and grey.
 *   Placement: forearm, composed to fit that area. Size: small. Mood: dark. Lettering: the words "Carpe diem",
 *   spelled exactly. Avoid: no rose, no full color. Clean tattoo flash artwork on a plain background; no skin,
 *   no body, no photo mockup, no watermark.
 *
 * Exclusions become "no ..." phrases, which image models follow better than a bare list of words.
 */
export function buildPrompt(k: Keywords): string {
  const parts = ['Tattoo design concept.'];
  const list = (items: string[]) => items.map(humanise).join(', ');
  if (k.subject.length) parts.push(`Subject: ${list(k.subject)}.`);
  if (k.elements.length) parts.push(`With: ${list(k.elements)}.`);
  if (k.style.length) parts.push(`Style: ${list(k.style)}.`);
  if (k.colors.length) parts.push(`Colours: ${list(k.colors)}.`);
  if (k.placement) parts.push(`Placement: ${humanise(k.placement)}, composed to fit that area.`);
  if (k.size) parts.push(`Size: ${humanise(k.size)}.`);
  if (k.mood.length) parts.push(`Mood: ${list(k.mood)}.`);
  if (k.lettering) parts.push(`Lettering: the words "${k.lettering.replace(/"/g, "'")}", spelled exactly.`);
  if (k.exclude.length) parts.push(`Avoid: ${k.exclude.map((x) => `no ${humanise(x)}`).join(', ')}.`);
  parts.push('Clean tattoo flash artwork on a plain background; no skin, no body, no photo mockup, no watermark.');
  return parts.join(' ');
}

const WORDS: Record<string, string> = {
  'black-and-grey': 'black and grey',
  'behind-ear': 'behind the ear',
  'extra-large': 'extra large',
};

/** Canonical ids read as words: "fine-line" -> "fine line". */
export function humanise(id: string): string {
  return WORDS[id] ?? id.replace(/-/g, ' ');
}

/**
 * Alt text for concept `index` (0-based; `total` when known): what a screen reader user needs to tell the concepts
 * apart.
 */
export function altText(k: Keywords, index: number, total?: number, variant?: string): string {
  const motif = [...k.subject, ...k.elements].map(humanise);
  const what = motif.length > 1 ? `${motif.slice(0, -1).join(', ')} and ${motif.at(-1)}` : (motif[0] ?? 'tattoo');
  const bits = [[...k.style.map(humanise), what].join(' ')];
  if (k.colors.length) bits.push(k.colors.map(humanise).join(', '));
  if (k.placement) bits.push(`for the ${humanise(k.placement)}`);
  if (k.lettering) bits.push(`with the words "${k.lettering}"`);
  const head = `Concept ${index + 1}${total ? ` of ${total}` : ''}${variant ? `, ${variant}` : ''}`;
  return `${head}: ${bits.join(', ')}`;
}
