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

/** A keyword's words for the visitor (labels.ts `labelOf`); the default shows the keyword itself. */
export type ShowKeyword = (field: keyof Keywords, value: string) => string;

/**
 * A short, readable summary of keywords for the transcript and the gallery, in the widget's language: `show` gives
 * each keyword's own words in it.
 */
export function describeKeywords(k: Keywords, t: Locale['t'], show: ShowKeyword = (_field, v) => v): string {
  const w = (key: keyof typeof DESCRIBE_TEXT, x = '') => t(key, { x }, DESCRIBE_TEXT[key]);
  const all = (field: 'subject' | 'elements' | 'style' | 'colors' | 'mood' | 'exclude') =>
    k[field].map((v) => show(field, v));
  const parts = [
    ...all('subject'),
    ...all('elements').map((e) => w('kw.with', e)),
    ...all('style'),
    ...all('colors'),
    k.placement && w('kw.on', show('placement', k.placement)),
    k.size && show('size', k.size),
    ...all('mood'),
    k.lettering && w('kw.letteringOf', k.lettering),
    ...all('exclude').map((e) => w('kw.no', e)),
  ].filter(Boolean);
  return parts.join(' · ') || w('kw.nothing');
}
