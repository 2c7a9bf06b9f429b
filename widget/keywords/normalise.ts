// Turns whatever a model (or a person, or a stale client) sent into canonical Keywords. Never throws: unknown
// input shrinks to empty lists and nulls.
import { emptyKeywords, type Keywords } from './types.ts';
import {
  SIZES,
  lookupKey,
  lookupPhrase,
  matchPhrases,
  singularise,
  type Color,
  type Placement,
  type Size,
  type Style,
  type Tag,
} from './vocab.ts';

const MAX_ITEMS = 24;
const MAX_MOTIF_CHARS = 48;
const MAX_LETTERING_CHARS = 200;

// Words a model wraps around a motif or a style id that carry no meaning of their own.
const FILLER = new Set([
  'tattoo',
  'tattoos',
  'design',
  'designs',
  'motif',
  'motifs',
  'piece',
  'style',
  'styled',
  'inspired',
  'look',
  'vibe',
  'vibes',
  'art',
  'artwork',
  'drawing',
  'image',
  'icon',
  'one',
  'two',
  'three',
  'four',
  'five',
  'pair',
  'couple',
  'few',
  'several',
  'of',
  'small',
  'big',
  'simple',
  'cute',
]);

const SIZE_ORDER: readonly Size[] = SIZES;

function tagsOf(text: string): readonly Tag[] {
  return lookupPhrase(lookupKey(text)) ?? [];
}

/** Every tag of `kind` in a free-text value, in order: exact phrase first, then a phrase scan. */
function valuesIn<K extends Tag['kind']>(value: unknown, kind: K): Extract<Tag, { kind: K }>[] {
  if (typeof value !== 'string') return [];
  const exact = tagsOf(value).filter((t): t is Extract<Tag, { kind: K }> => t.kind === kind);
  if (exact.length) return exact;
  return matchPhrases(lookupKey(value).split(' '))
    .flatMap((m) => m.tags)
    .filter((t): t is Extract<Tag, { kind: K }> => t.kind === kind);
}

export function normaliseStyle(value: unknown): Style | null {
  return stylesIn(value)[0] ?? null;
}

function stylesIn(value: unknown): Style[] {
  return valuesIn(value, 'style').map((t) => t.value);
}

export function normaliseColor(value: unknown): Color | null {
  return colorsIn(value)[0] ?? null;
}

function colorsIn(value: unknown): Color[] {
  const tags = valuesIn(value, 'color');
  // "a few colours, blue and yellow" names the colours; the bare word only means full colour on its own.
  const named = tags.filter((t) => !t.weak);
  return (named.length ? named : tags).map((t) => t.value);
}

export function normalisePlacement(value: unknown): Placement | null {
  return valuesIn(value, 'placement')[0]?.value ?? null;
}

const LETTER_SIZES: Readonly<Record<string, Size>> = {
  xs: 'tiny',
  s: 'small',
  sm: 'small',
  m: 'medium',
  md: 'medium',
  l: 'large',
  lg: 'large',
  xxl: 'extra-large',
  xxxl: 'extra-large',
};

export function normaliseSize(value: unknown): Size | null {
  if (typeof value !== 'string') return null;
  const key = lookupKey(value);
  const letter = LETTER_SIZES[key];
  if (letter) return letter;
  // "full sleeve", "back piece": the area says how big.
  return (
    valuesIn(value, 'size')[0]?.value ??
    valuesIn(value, 'placement').find((t) => t.size)?.size ??
    sizeFromDimensions(value).size
  );
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  half: 0.5,
};
const DIMENSION = new RegExp(
  String.raw`(\d+(?:\.\d+)?|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half)\b)\s*` +
    String.raw`(?:(-|to|or|x|by)\s*(\d+(?:\.\d+)?)\s*)?-?\s*` +
    String.raw`(inches|inch|in\.|in(?=\s*(?:[.,;!?)]|$|wide|tall|long|high|across|x\b))|"|\u201d|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|ft\b)`,
  'gi',
);
const PER_INCH: Readonly<Record<string, number>> = { cm: 2.54, mm: 25.4 };

/** Size class from a measurement in the text ("2 inch", "5cm", "3x4in"); the text with it blanked out. */
export function sizeFromDimensions(text: string): { size: Size | null; rest: string } {
  let size: Size | null = null;
  const rest = text.replace(
    DIMENSION,
    (match, first: string, joiner: string | undefined, second: string | undefined, unit: string) => {
      const a = NUMBER_WORDS[first.toLowerCase()] ?? Number.parseFloat(first);
      const b = second === undefined ? a : Number.parseFloat(second);
      // "3x4" is the long side; "3-4" is a range, so its middle.
      const value = joiner && /x|by/i.test(joiner) ? Math.max(a, b) : (a + b) / 2;
      const u = unit.toLowerCase();
      const inches = u.startsWith('ft') ? value * 12 : value / (PER_INCH[u.slice(0, 2)] ?? 1);
      if (!Number.isFinite(inches) || inches <= 0) return match;
      size =
        inches <= 1.25
          ? 'tiny'
          : inches <= 3.5
            ? 'small'
            : inches <= 7
              ? 'medium'
              : inches <= 11
                ? 'large'
                : 'extra-large';
      return ' ';
    },
  );
  return { size, rest };
}

export function largerSize(a: Size | null, b: Size | null): Size | null {
  if (!a || !b) return a ?? b;
  return SIZE_ORDER.indexOf(a) >= SIZE_ORDER.indexOf(b) ? a : b;
}

/** "Koi Fish" -> "koi", "wolves" -> "wolf", "a small red rose" -> "rose"; null for junk. */
export function normaliseMotif(value: unknown): string | null {
  return motifsIn(value)[0] ?? null;
}

function motifsIn(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  // "yin and yang", "bow and arrow" are one motif; otherwise a joined list is several.
  const whole = lookupPhrase(lookupKey(value))?.find((t) => t.kind === 'motif');
  if (whole) return [whole.value];
  return value
    .split(/\s*(?:[,;+]|\band\b|\bwith\b|&)\s*/i)
    .map(motifOf)
    .filter((m): m is string => m !== null);
}

function motifOf(part: string): string | null {
  let words = lookupKey(part)
    .split(' ')
    .filter((w) => w && !/^\d+$/.test(w));
  while (words.length > 1 && FILLER.has(words[0] ?? '')) words = words.slice(1);
  while (words.length > 1 && FILLER.has(words[words.length - 1] ?? '')) words = words.slice(0, -1);
  const key = words.join(' ');
  if (!key || !/\p{L}/u.test(key)) return null;
  const direct = lookupPhrase(key)?.find((t) => t.kind === 'motif');
  if (direct) return direct.value;
  const found = matchPhrases(words).filter((m) => m.tags.some((t) => t.kind === 'motif'));
  const only = found.length === 1 ? found[0]?.tags.find((t) => t.kind === 'motif') : undefined;
  // One known motif among adjectives ("howling wolf") is that motif; an unknown compound keeps its own name.
  if (only && only.kind === 'motif') return only.value;
  const singular = [...words.slice(0, -1), singularise(words[words.length - 1] ?? '')].join(' ');
  const known = lookupPhrase(singular)?.find((t) => t.kind === 'motif');
  if (known) return known.value;
  if (words.length > 4 || singular.length > MAX_MOTIF_CHARS) return null;
  // A lone style, colour or size word ("red", "tiny") is not a motif.
  if (found.length === 0 && lookupPhrase(key) !== undefined) return null;
  return singular;
}

function moodOf(value: string): string | null {
  const key = lookupKey(value);
  if (!key || !/\p{L}/u.test(key) || key.split(' ').length > 3) return null;
  return lookupPhrase(key)?.find((t) => t.kind === 'mood')?.value ?? key;
}

const TEXT_WORDS = new Set([
  'text',
  'lettering',
  'letters',
  'words',
  'word',
  'writing',
  'quote',
  'quotes',
  'name',
  'names',
]);

/** An exclusion is a style, a colour or a motif, in that order of preference. */
function excludesIn(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const key = lookupKey(value);
  if (TEXT_WORDS.has(key)) return ['script'];
  const tags = lookupPhrase(key) ?? [];
  const style = tags.find((t) => t.kind === 'style');
  if (style) return [style.value];
  const color = tags.find((t) => t.kind === 'color');
  if (color) return [color.value];
  return motifsIn(value);
}

/** The words to write, without surrounding quotes; null when empty or not text. */
export function normaliseLettering(value: unknown): string | null {
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof raw !== 'string') return null;
  const text = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'\u2018\u2019\u201c\u201d`]+|["'\u2018\u2019\u201c\u201d`]+$/g, '')
    .trim();
  if (!text || /^(?:null|none|n\/a|no|undefined)$/i.test(text)) return null;
  return text.slice(0, MAX_LETTERING_CHARS);
}

/** Strings out of a string, a list, or a list of lists (depth-limited); objects give their name/value/id. */
function strings(value: unknown, depth = 0): string[] {
  if (typeof value === 'string')
    return value
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (depth > 2 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS * 2).flatMap((v) => strings(v, depth + 1));
  const named =
    (value as Record<string, unknown>).name ??
    (value as Record<string, unknown>).value ??
    (value as Record<string, unknown>).id;
  return typeof named === 'string' ? [named] : [];
}

function first(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? strings(value)[0] : undefined;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)].slice(0, MAX_ITEMS);
}

function asRecord(input: unknown): Record<string, unknown> | null {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Canonical Keywords from anything: a partial object, the JSON string of a tool call, strings where lists belong,
 * synonyms, plurals, wrong case. Unknown styles, colours, placements and sizes are dropped.
 */
export function normaliseKeywords(input: unknown): Keywords {
  try {
    return fromRecord(asRecord(input));
  } catch {
    // Only reachable through hostile objects (throwing getters, proxies); model JSON never gets here.
    return emptyKeywords();
  }
}

function fromRecord(record: Record<string, unknown> | null): Keywords {
  if (!record) return emptyKeywords();
  const pick = (...names: string[]): unknown => names.map((n) => record[n]).find((v) => v !== undefined);

  const exclude = unique(strings(pick('exclude', 'excludes', 'excluded', 'avoid')).flatMap(excludesIn));
  const keep = (items: string[]): string[] => unique(items).filter((item) => !exclude.includes(item));
  const subject = keep(strings(pick('subject', 'subjects', 'main')).flatMap(motifsIn));
  const colors = keep(strings(pick('colors', 'colours', 'color', 'colour')).flatMap(colorsIn));
  // One snapshot cannot be both: the first one said wins.
  const shade = colors.find((c) => c === 'black-and-grey' || c === 'full-color');
  return {
    subject,
    elements: keep(strings(pick('elements', 'element', 'motifs', 'secondary')).flatMap(motifsIn)).filter(
      (m) => !subject.includes(m),
    ),
    style: keep(strings(pick('style', 'styles')).flatMap(stylesIn)),
    colors: colors.filter((c) => c === shade || (c !== 'black-and-grey' && c !== 'full-color')),
    placement: normalisePlacement(first(pick('placement', 'location', 'body_part', 'bodyPart'))),
    size: normaliseSize(first(pick('size'))),
    mood: unique(
      strings(pick('mood', 'moods', 'feeling', 'vibe'))
        .map(moodOf)
        .filter((m): m is string => !!m),
    ),
    lettering: normaliseLettering(pick('lettering', 'text', 'words', 'script_text')),
    exclude,
  };
}

const MAX_LABELS = 48;
const MAX_LABEL_CHARS = 48;

/**
 * The words the model gave (`labels`, in the conversation's language) for the motifs of `keywords`, by their English
 * word as the keywords hold it. Display only; anything odd (not an object, a label that is not text or too long, a
 * word the keywords lack) is left out, never an error: a bad label must not cost the keywords.
 */
export function normaliseLabels(input: unknown, keywords: Keywords): Record<string, string> {
  try {
    const labels = asRecord(input)?.labels;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return {};
    const words = new Set([...keywords.subject, ...keywords.elements, ...keywords.mood, ...keywords.exclude]);
    const found = new Map<string, string>();
    for (const [word, label] of Object.entries(labels as Record<string, unknown>).slice(0, MAX_LABELS)) {
      if (typeof label !== 'string' || word.length > MAX_LABEL_CHARS) continue;
      const text = label.replace(/\s+/g, ' ').trim();
      if (!text || text.length > MAX_LABEL_CHARS || !/\p{L}/u.test(text)) continue;
      const key = [lookupKey(word), normaliseMotif(word), moodOf(word)].find((k) => k && words.has(k));
      if (key && !found.has(key)) found.set(key, text);
    }
    return Object.fromEntries(found);
  } catch {
    return {}; // hostile objects only (throwing getters, proxies)
  }
}
