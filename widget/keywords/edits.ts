// The visitor's chip edits as pure functions over the keywords; they ship in the lazy keyword chunk with the
// vocabulary they read.
import { extractKeywords } from './extract.ts';
import { mergeKeywords } from './merge.ts';
import { normaliseKeywords } from './normalise.ts';
import type { Keywords } from './types.ts';

type Field = keyof Keywords;
const LIST_FIELDS: readonly Field[] = ['subject', 'elements', 'style', 'colors', 'mood', 'exclude'];
const isList = (field: Field) => LIST_FIELDS.includes(field);
const isEmpty = (k: Keywords) =>
  LIST_FIELDS.every((f) => (k[f] as string[]).length === 0) && !k.placement && !k.size && !k.lettering;

/** The keywords without one chip. */
export function withoutChip(current: Keywords, field: Field, value: string): Keywords {
  const next: Keywords = { ...current };
  if (isList(field)) (next[field] as string[]) = (current[field] as string[]).filter((v) => v !== value);
  else (next[field] as string | null) = null;
  return next;
}

/** What a typed phrase says ("no red", "on my calf"); something the lexicon does not know is still a wanted motif. */
export function readPhrase(text: string): Keywords {
  const update = extractKeywords(text);
  return isEmpty(update) ? normaliseKeywords({ elements: [text.toLowerCase()] }) : update;
}

/** The visitor typed a keyword or a phrase. */
export function addChip(current: Keywords, text: string): Keywords {
  return mergeKeywords(current, readPhrase(text.trim()));
}

/** A chip rewritten in place: the old value goes, the new one is read as belonging to the same field first. */
export function editChip(current: Keywords, field: Field, from: string, to: string): Keywords {
  const rest = withoutChip(current, field, from);
  const text = to.trim();
  if (!text) return rest;
  const inField = normaliseKeywords(isList(field) ? { [field]: [text] } : { [field]: text });
  return mergeKeywords(rest, isEmpty(inField) ? readPhrase(text) : inField);
}
