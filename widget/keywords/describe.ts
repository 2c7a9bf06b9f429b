import type { Locale } from '../i18n/locale.ts';
import type { Keywords } from './types.ts';

/** The words around the keywords, English here; the other catalogues have these keys (PartKey, i18n/en.ts). */
export const DESCRIBE_TEXT = {
  'kw.with': 'with {x}',
  'kw.on': 'on the {x}',
  'kw.letteringOf': 'lettering "{x}"',
  'kw.no': 'no {x}',
  'kw.nothing': 'nothing yet',
};

/** A short, readable summary of keywords for the transcript and the gallery, in the widget's language. */
export function describeKeywords(k: Keywords, t: Locale['t']): string {
  const w = (key: keyof typeof DESCRIBE_TEXT, x = '') => t(key, { x }, DESCRIBE_TEXT[key]);
  const parts = [
    ...k.subject,
    ...k.elements.map((e) => w('kw.with', e)),
    ...k.style,
    ...k.colors,
    k.placement && w('kw.on', k.placement),
    k.size,
    ...k.mood,
    k.lettering && w('kw.letteringOf', k.lettering),
    ...k.exclude.map((e) => w('kw.no', e)),
  ].filter(Boolean);
  return parts.join(' · ') || w('kw.nothing');
}
