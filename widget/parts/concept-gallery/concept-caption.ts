// What the concept viewer says about a design, written for people from the generation's keywords (the concept's
// alt text and the image prompt are for screen readers and the image model). Pure, so the Worker's sandbox test can
// build the same "use this design" message the widget sends.
import type { Locale } from '../../i18n/locale.ts';
import type { ShowKeyword } from '../../keywords/describe.ts';
import type { Keywords } from '../../keywords/types.ts';

/**
 * The caption's texts in the other languages (their catalogues have these keys): a short phrase for the motif, then
 * the keywords under the labels the chips use, since each language builds a sentence its own way. English, below,
 * keeps its sentence; these are its words for a catalogue that lacked one.
 */
export const CAPTION_TEXT = {
  'cap.design': 'a design',
  'cap.with': '{subject} with {elements}',
  'cap.field': '{field}: {value}',
  'cap.quote': '“{text}”',
  'cap.chosen': "I'd like to use concept {n}: {design}.",
};

/** Every visitor-facing word here, in English, in one place for the translation catalogues. */
export const CAPTION_STRINGS = {
  design: 'design',
  and: 'and',
  with: 'with',
  in: (colours: string) => `in ${colours}`,
  for: (place: string) => `for the ${place}`,
  mood: (moods: string) => `Feels ${moods}.`,
  lettering: (words: string) => `With the words “${words}”.`,
  without: (thing: string) => `no ${thing}`,
  /** The visitor's message to the assistant when they pick a concept (the default of `voice-buddy-select`). */
  chosen: (n: number, design: string) => `I'd like to use concept ${n}: ${design}.`,
};

/** Ids that do not read as words by replacing their hyphens. */
const READ_AS: Record<string, string> = {
  'black-and-grey': 'black and grey',
  'full-color': 'full colour',
  'behind-ear': 'spot behind the ear',
};
/** Style and size ids stay hyphenated: they stand before the noun ("a fine-line wolf", "an extra-large rose"). */
const adjective = (id: string) => READ_AS[id] ?? id;
const noun = (id: string) => READ_AS[id] ?? id.replace(/-/g, ' ');

function list(items: readonly string[]): string {
  const s = CAPTION_STRINGS;
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${s.and} ${items.at(-1)!}`;
}

const article = (phrase: string) => `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "a small fine-line wolf with a moon, in black and grey, for the forearm": what the design is, in one phrase. */
export function designPhrase(k: Keywords): string {
  const s = CAPTION_STRINGS;
  const before = [k.size, ...k.style].filter((x): x is string => Boolean(x)).map(adjective);
  const motif = k.subject.length ? list(k.subject.map(noun)) : s.design;
  let phrase = article([...before, motif].join(' '));
  if (k.elements.length) phrase += ` ${s.with} ${list(k.elements.map((e) => article(noun(e))))}`;
  const tail = [];
  if (k.colors.length) tail.push(s.in(list(k.colors.map(noun))));
  if (k.placement) tail.push(s.for(noun(k.placement)));
  return [phrase, ...tail].join(', ');
}

/**
 * The caption under a concept: "A small fine-line wolf with a moon, in black and grey, for the forearm. Feels dark.
 * With the words “Carpe diem”. No red, no rose."
 */
export function captionFor(k: Keywords): string {
  const s = CAPTION_STRINGS;
  const sentences = [`${capital(designPhrase(k))}.`];
  if (k.mood.length) sentences.push(s.mood(list(k.mood)));
  if (k.lettering) sentences.push(s.lettering(k.lettering));
  if (k.exclude.length) sentences.push(`${capital(k.exclude.map((x) => s.without(noun(x))).join(', '))}.`);
  return sentences.join(' ');
}

/** What the visitor tells the assistant when they choose concept `n` (1-based). */
export function chosenMessage(n: number, k: Keywords): string {
  return CAPTION_STRINGS.chosen(n, designPhrase(k));
}

type Words = Pick<Locale, 'lang' | 't'>;
type CaptionKey = keyof typeof CAPTION_TEXT;

type Field = 'subject' | 'elements' | 'style' | 'size' | 'colors' | 'placement' | 'mood' | 'exclude';
const asIs: ShowKeyword = (_field, value) => value;

/**
 * The caption's lines in `locale`'s language: what the design is, then its mood, lettering and what is not wanted.
 * `show` gives a keyword's label in that language (labels.ts); one without a label reads as its id made a word.
 */
function localLines(k: Keywords, locale: Words, show: ShowKeyword): { design: string[]; more: string[] } {
  const part = (key: CaptionKey, params?: Record<string, string | number>) => locale.t(key, params, CAPTION_TEXT[key]);
  const and = new Intl.ListFormat(locale.lang, { type: 'conjunction' });
  const words = (field: Field, values: readonly string[]) =>
    and.format(
      values.map((v) => {
        const shown = show(field, v);
        return shown === v ? noun(v) : shown;
      }),
    );
  const field = (name: Exclude<Field, 'subject' | 'elements'>, values: readonly string[]) =>
    values.length ? [part('cap.field', { field: locale.t(`kw.${name}`), value: words(name, values) })] : [];
  const subject = k.subject.length ? words('subject', k.subject) : part('cap.design');
  const motif = k.elements.length ? part('cap.with', { subject, elements: words('elements', k.elements) }) : subject;
  return {
    design: [
      capital(motif),
      ...field('style', k.style),
      ...field('size', k.size ? [k.size] : []),
      ...field('colors', k.colors),
      ...field('placement', k.placement ? [k.placement] : []),
    ],
    more: [
      ...field('mood', k.mood),
      ...(k.lettering
        ? [part('cap.field', { field: locale.t('kw.lettering'), value: part('cap.quote', { text: k.lettering }) })]
        : []),
      ...field('exclude', k.exclude),
    ],
  };
}

/** The caption in the widget's language: English's sentence, or the other languages' labelled keywords. */
export function captionIn(k: Keywords, locale: Words, show = asIs): string {
  if (locale.lang === 'en') return captionFor(k);
  const { design, more } = localLines(k, locale, show);
  return [...design, ...more].join(' · ');
}

/** What the visitor tells the assistant on choosing concept `n`, in the language the assistant speaks with them. */
export function chosenIn(n: number, k: Keywords, locale: Words, show = asIs): string {
  if (locale.lang === 'en') return chosenMessage(n, k);
  const design = localLines(k, locale, show).design.join(', ');
  return locale.t('cap.chosen', { n, design }, CAPTION_TEXT['cap.chosen']);
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
  'image/avif': 'avif',
};

/** A file name a person recognises in their downloads: "wolf-moon-concept-2.png". */
export function downloadName(k: Keywords, n: number, mimeType: string): string {
  const words = [...k.subject, ...k.elements].join(' ').toLowerCase();
  const slug = words
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  const ext = EXTENSIONS[mimeType.split(';')[0]!.trim().toLowerCase()];
  return `${slug ? `${slug}-` : ''}concept-${n}${ext ? `.${ext}` : ''}`;
}

/** The MIME type a data: URL declares, else ''. */
export function dataUrlType(url: string): string {
  return /^data:([^;,]+)/i.exec(url)?.[1] ?? '';
}
