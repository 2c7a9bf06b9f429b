// Model-free keyword extraction: lettering first (it is quoted or follows "that says"), then measurements, then a
// longest-match walk over the phrase lexicon that tracks negated stretches, then a few domain rules.
import { emptyKeywords, type Keywords } from './types.ts';
import { largerSize, normaliseLettering, sizeFromDimensions } from './normalise.ts';
import {
  DROP_WORDS,
  POSSESSIVES as POSSESSIVE_WORDS,
  GENERIC_MOTIFS,
  MOTIF_MOODS,
  MOTIF_SIZES,
  SECONDARY_MOTIFS,
  matchPhrases,
  motifKind,
  type Color,
  type PhraseMatch,
  type Size,
  type Tag,
} from './vocab.ts';

const MAX_INPUT_CHARS = 4000;

// Words that end a negated stretch: "skip the roses, I just want the dagger", "not in colour, just black".
const NEGATION_ENDS = new Set([
  'but',
  'though',
  'although',
  'however',
  'just',
  'only',
  'i',
  'id',
  'im',
  'ill',
  'ive',
  'we',
  'so',
  'then',
  'also',
  'plus',
  'with',
  'because',
  'since',
  'while',
  'maybe',
  'perhaps',
  'instead',
  'rather',
  'for',
  'into',
  'by',
  'more',
]);
// Negations that tone down rather than rule out: "less dark", "tone down the red".
const SOFT_NEGATIONS = new Set(['less', 'not as', 'not so', 'tone down']);
// A negation that only tones something down drops it without excluding it: "not too dark", "no skulls that look
// too creepy", "nothing too girly".
const SOFTENERS = new Set(['too', 'overly', 'very', 'super', 'so', 'particularly', 'especially', 'that']);
const QUALIFIERS = new Set(['that', 'which', 'who', 'looking', 'where', 'like']);
// What may come right before an everyday body word for it to be a placement ("my hand", "on the back").
const PLACEMENT_CONTEXT = new Set<string>([
  ...POSSESSIVE_WORDS,
  'the',
  'on',
  'across',
  'along',
  'down',
  'around',
  'covering',
  'behind',
  'both',
  'whole',
  'full',
  'entire',
  'onto',
  'upon',
  'inner',
  'outer',
  'left',
  'right',
  'upper',
  'lower',
  'top',
  'inside',
  'each',
  'either',
  'one',
]);
const EXTENT_LARGE = new Set([
  'across',
  'covering',
  'cover',
  'covers',
  'down',
  'spanning',
  'spans',
  'span',
  'wrapping',
  'wraps',
  'wrap',
  'whole',
  'entire',
  'full',
]);
// Running across these still makes a modest piece ("across my knuckles").
const SMALL_AREAS: ReadonlySet<string> = new Set([
  'wrist',
  'finger',
  'hand',
  'ankle',
  'foot',
  'collarbone',
  'neck',
  'behind-ear',
  'hip',
  'sternum',
]);
// "a sprig of lavender" is lavender; "a yin yang circle" is a yin yang.
const MEASURES = new Set(['sprig', 'bouquet', 'wreath', 'branch', 'ring', 'circle', 'garland', 'field', 'vine']);
// "a holly branch" is holly: the part names the plant's form, not another motif.
const PLANT_PARTS = new Set(['branch', 'sprig', 'twig', 'stem', 'vine', 'bouquet', 'wreath', 'garland', 'bush']);
// Verbs that look like style words: "could you sketch a wolf".
const VERB_LEADS = new Set([
  'you',
  'to',
  'can',
  'could',
  'will',
  'would',
  'please',
  'pls',
  'lets',
  'let',
  'i',
  'and',
  'we',
  'just',
  'me',
  'should',
  'might',
]);
const SHAPES = new Set(['circle', 'triangle', 'hexagon', 'shape', 'diamond shape']);
// "I love the sea, so an octopus": what the person likes sets the scene; the picture comes after.
const LIKING = new Set([
  'love',
  'loves',
  'loved',
  'adore',
  'adores',
  'adored',
  'enjoy',
  'enjoys',
  'enjoyed',
  'obsessed',
  'passionate',
]);
const WISHING = new Set(['id', 'would', 'wed', 'youd', 'shed', 'hed']);
const FIGURATIVE = new Set(['root', 'heart', 'soul', 'spirit', 'light', 'star', 'world', 'sky']);
const POSSESSIVES: ReadonlySet<string> = new Set(POSSESSIVE_WORDS);
const OWNED = new Set(['name', 'names', 'initials', 'initial', 'birthday', 'birthdate', 'signature', 'handwriting']);
// "for my late dog": who the piece is for, not what is in it.
const DEDICATION_WORDS = new Set(['late', 'dear', 'beloved', 'little', 'baby', 'old', 'sweet', 'first', 'best']);
const FRAMING = new Set([
  'framing',
  'frames',
  'surrounding',
  'surrounds',
  'encircling',
  'encircles',
  'encasing',
  'circling',
]);
const HEDGES = new Set([
  'like',
  'maybe',
  'perhaps',
  'probably',
  'possibly',
  'specifically',
  'say',
  'ideally',
  'preferably',
  'actually',
  'particularly',
]);
/** Words that may stand between a noun and its apposition: the hedges, and a few more. */
const APPOSITION_FILLER = new Set([...HEDGES, ',', 'such', 'as', 'or', 'kind', 'type', 'of', 'something']);

const NO_TEXT =
  /\b(?:no|without(?: any)?|don'?t want(?: any)?|skip(?: the)?|not any)\s+(?:text|lettering|words|writing|script)\b/i;

interface Token {
  word: string;
  raw: number;
}
interface Item extends PhraseMatch {
  negated: 'hard' | 'soft' | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Lettering

const QUOTED_DOUBLE = /(^|[^\p{L}\p{N}])["\u201c\u201d]([^"\u201c\u201d]{1,120}?)["\u201c\u201d](?![\p{L}\p{N}])/u;
const QUOTED_SINGLE =
  /(^|[\s([{:,;\u2013\u2014-])['\u2018]((?:[^'\u2018\u2019\n]|['\u2019](?=\p{L}))+?)['\u2019](?![\p{L}\p{N}])/u;
const SAYS = new RegExp(
  String.raw`\b(?:(?:that|which|it)\s+(?:says|said|reads|read|spells(?:\s+out)?)|` +
    // "reading"/"saying" after a verb of liking is the hobby, not the text ("he loved reading").
    String.raw`(?<!\b(?:love|loves|loved|enjoy|enjoys|enjoyed|like|likes|liked|into|of|about|for|from|keep|kept|i|he|she|we|they|is|was|am|been|stop|started)\s+)` +
    String.raw`(?:saying|reading|spelling(?:\s+out)?)|` +
    String.raw`(?:with\s+)?(?:the|my|his|her|our|their)\s+(?:words?|text|phrase|quote|lyrics?|motto|saying|date|number|year|verse)|` +
    String.raw`spelling\s+out)[:,]?\s+`,
  'i',
);
const NAMED = /\b(?:names?|initials)[:,]?\s+((?:[A-Z][\p{L}.'-]*)(?:\s+(?:(?:and|&)\s+)?[A-Z][\p{L}.'-]*)*)/u;
const LETTERING_STOP = new RegExp(
  String.raw`\s+(?:in|on|at|underneath|under|below|above|beneath|across|along|` +
    String.raw`around|with|written|inside|next|beside|over|for|between|behind|near|down|done|placed|framed|` +
    String.raw`surrounded|maybe|please)\b.*$`,
  'is',
);
const ROMAN_NUMERALS = /\broman\s+numerals?\b/i;

function toRoman(n: number): string {
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let rest = n;
  for (const [value, numeral] of table) {
    while (rest >= value) {
      out += numeral;
      rest -= value;
    }
  }
  return out;
}

function romanise(text: string): string {
  return text.replace(/\d+/g, (d) => {
    const n = Number.parseInt(d, 10);
    return n > 0 && n < 4000 ? toRoman(n) : d;
  });
}

/** The words to be written, and the text with them blanked so they are not read as motifs. */
function takeLettering(text: string): { lettering: string | null; rest: string } {
  let lettering: string | null = null;
  let rest = text;
  const quoted = QUOTED_DOUBLE.exec(text) ?? QUOTED_SINGLE.exec(text);
  if (quoted) {
    lettering = normaliseLettering(quoted[2]);
    const start = quoted.index + (quoted[1]?.length ?? 0);
    rest = `${text.slice(0, start)} ${text.slice(quoted.index + quoted[0].length)}`;
  } else {
    const says = SAYS.exec(text);
    const named = NAMED.exec(text);
    if (says) {
      const after = text.slice(says.index + says[0].length);
      const clause = (after.split(/[,;!?\n]|\.(?=\s|$)/)[0] ?? '').replace(LETTERING_STOP, '').trim();
      if (clause && clause.split(/\s+/).length <= 10) {
        lettering = normaliseLettering(clause);
        const end = says.index + says[0].length + after.indexOf(clause) + clause.length;
        rest = `${text.slice(0, says.index)} ${text.slice(end)}`;
      }
    } else if (named?.[1] && named[1] !== 'I') {
      lettering = normaliseLettering(named[1]);
      // Keep "name" itself: it tells the motif walk that "my dog's" is whose name, not a dog to draw.
      const end = named.index + named[0].length;
      rest = `${text.slice(0, end - named[1].length)} ${text.slice(end)}`;
    }
  }
  if (ROMAN_NUMERALS.test(text)) {
    if (lettering && /\d/.test(lettering)) {
      lettering = romanise(lettering);
    } else if (!lettering) {
      const number = /\d+(?:[./-]\d+)*/.exec(rest);
      if (number) {
        lettering = romanise(number[0]);
        rest = `${rest.slice(0, number.index)} ${rest.slice(number.index + number[0].length)}`;
      }
    }
  }
  return { lettering, rest };
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens and the lexicon walk

/** Paraphrases the lexicon cannot see word by word. */
function rewrite(text: string): string {
  return text
    .replace(
      /\bskin\s+(?:is\s+|being\s+|that'?s\s+)?(?:torn|ripped|peeled|tearing|ripping)(?:\s+(?:open|apart|away|back))?/gi,
      ' torn skin ',
    )
    .replace(/\b(?:tear|rip)(?:s|ping)?\s+(?:through|into|open)?\s*(?:the\s+|my\s+)?skin\b/gi, ' torn skin ')
    .replace(/\bover\s+(?:my|the|your)\s+heart\b/gi, ' on my chest ')
    .replace(/\s[-\u2013\u2014]+\s|[\u2013\u2014]/g, ' , ');
}

function tokenise(text: string): string[] {
  const norm = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/&/g, ' and ')
    .replace(/[-_/]+/g, ' ');
  return (norm.match(/[\p{L}\p{N}']+|[.,;:!?()"\u201c\u201d]/gu) ?? [])
    .map((t) => (/[\p{L}\p{N}]/u.test(t) ? t.replace(/'s$/, '').replace(/'/g, '') : ','))
    .filter(Boolean);
}

function walk(words: readonly string[], raw: readonly string[], tokens: readonly Token[]): Item[] {
  const byStart = new Map(matchPhrases(words).map((m) => [m.start, m]));
  const items: Item[] = [];
  let negationAt: number | null = null;
  let softNegation = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === ',' || NEGATION_ENDS.has(word)) negationAt = null;
    const match = byStart.get(i);
    if (!match) continue;
    i = match.end - 1;
    if (match.tags.some((t) => t.kind === 'noop')) continue;
    if (
      words[match.start] === 'sketch' &&
      match.end - match.start === 1 &&
      VERB_LEADS.has(raw[(tokens[match.start]?.raw ?? 0) - 1] ?? '')
    )
      continue;
    if (match.tags.some((t) => t.kind === 'negation')) {
      negationAt = match.end;
      softNegation = SOFT_NEGATIONS.has(words.slice(match.start, match.end).join(' '));
      continue;
    }
    let negated: Item['negated'] = null;
    if (negationAt !== null) {
      const between = words.slice(negationAt, match.start);
      const next = raw[(tokens[match.end - 1]?.raw ?? -2) + 1];
      negated =
        softNegation || between.some((w) => SOFTENERS.has(w)) || (next !== undefined && QUALIFIERS.has(next))
          ? 'soft'
          : 'hard';
    }
    items.push({ ...match, negated });
  }
  return items;
}

function tagOf<K extends Tag['kind']>(item: Item, kind: K): Extract<Tag, { kind: K }> | undefined {
  return item.tags.find((t): t is Extract<Tag, { kind: K }> => t.kind === kind);
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Whether an everyday body word ("hand", "back") is meant as the place for the tattoo. */
function isPlacement(item: Item, words: readonly string[], raw: readonly string[], tokens: readonly Token[]): boolean {
  const placement = tagOf(item, 'placement');
  if (!placement) return false;
  if (!placement.ambiguous) return true;
  // "the side of my wrist": the word names part of the next placement, not a place of its own.
  if (words[item.end] === 'of') return false;
  const before = raw[(tokens[item.start]?.raw ?? 0) - 1];
  if (before !== undefined && PLACEMENT_CONTEXT.has(before)) return true;
  const prev = words[item.start - 1];
  const next = words[item.end];
  return (prev === undefined || prev === ',') && (next === undefined || next === ',' || next === 'piece');
}

/** Drops a motif that a more specific one of the same kind restates: "a bird, maybe a swallow", "mask, hannya". */
function dropRestated(motifs: Item[], words: readonly string[]): Item[] {
  const dropped = new Set<Item>();
  for (let k = 1; k < motifs.length; k++) {
    const a = motifs[k - 1];
    const b = motifs[k];
    if (!a || !b) continue;
    const va = tagOf(a, 'motif')?.value ?? '';
    const vb = tagOf(b, 'motif')?.value ?? '';
    const kind = motifKind(va);
    if (!kind || kind !== motifKind(vb) || va === vb) continue;
    const gap = words.slice(a.end, b.start);
    if (!gap.every((w) => APPOSITION_FILLER.has(w))) continue;
    if (GENERIC_MOTIFS.has(vb)) dropped.add(b);
    else if (GENERIC_MOTIFS.has(va) || kind === 'mask' || gap.some((w) => HEDGES.has(w))) dropped.add(a);
  }
  return motifs.filter((m) => !dropped.has(m));
}

function isDedication(item: Item, raw: readonly string[], tokens: readonly Token[]): boolean {
  // "honour my Irish roots", "close to my heart": said of the person, not drawn.
  const value = tagOf(item, 'motif')?.value ?? '';
  const start = tokens[item.start]?.raw ?? 0;
  if (FIGURATIVE.has(value) && [raw[start - 1], raw[start - 2]].some((w) => POSSESSIVES.has(w ?? ''))) return true;
  // "my dog's name, Biscuit": whose name it is.
  if (OWNED.has(raw[(tokens[item.end - 1]?.raw ?? -2) + 1] ?? '')) return true;
  let at = (tokens[item.start]?.raw ?? 0) - 1;
  while (at >= 0 && DEDICATION_WORDS.has(raw[at] ?? '')) at--;
  return POSSESSIVES.has(raw[at] ?? '') && ['for', 'to'].includes(raw[at - 1] ?? '');
}

/** Motifs that only qualify their neighbour: a measure before "of", a shape right after another motif. */
function isQualifier(item: Item, motifs: readonly Item[], words: readonly string[]): boolean {
  const value = tagOf(item, 'motif')?.value ?? '';
  if (MEASURES.has(value) && words[item.end] === 'of' && motifs.some((m) => m.start === item.end + 1)) return true;
  return (
    (SHAPES.has(value) || PLANT_PARTS.has(value)) &&
    motifs.some(
      (m) =>
        m.end === item.start &&
        (SHAPES.has(value) || ['flower', 'plant', 'tree'].includes(motifKind(tagOf(m, 'motif')?.value ?? '') ?? '')),
    )
  );
}

/** Clause number of every word (commas and full stops split clauses). */
function clauses(words: readonly string[]): number[] {
  let clause = 0;
  return words.map((w) => (w === ',' ? ++clause : clause));
}

/** Motifs in a clause about what the person likes, when another clause holds the actual picture. */
function backdrop(motifs: readonly Item[], words: readonly string[]): Set<Item> {
  const clauseOf = clauses(words);
  const liking = new Set<number>();
  words.forEach((w, i) => {
    if (LIKING.has(w) && !WISHING.has(words[i - 1] ?? '')) liking.add(clauseOf[i] ?? -1);
  });
  const inLiking = motifs.filter((m) => liking.has(clauseOf[m.start] ?? -1));
  return inLiking.length < motifs.length ? new Set(inLiking) : new Set();
}

function chooseMotifs(
  motifs: Item[],
  words: readonly string[],
  raw: readonly string[],
  tokens: readonly Token[],
): { subject: string[]; elements: string[] } {
  const scenery = backdrop(motifs, words);
  let kept = dropRestated(
    motifs.filter((m) => !scenery.has(m) && !isDedication(m, raw, tokens) && !isQualifier(m, motifs, words)),
    words,
  );
  // A hobby stands in for the picture only when nothing else is pictured ("he loved fishing").
  const pictured = kept.filter((m) => motifKind(tagOf(m, 'motif')?.value ?? '') !== 'activity');
  if (pictured.length) kept = pictured;
  const values = unique(kept.map((m) => tagOf(m, 'motif')?.value ?? '').filter(Boolean));
  const framed = kept.find((m) => FRAMING.has(words[m.start - 1] ?? ''));
  const subject =
    (framed && tagOf(framed, 'motif')?.value) ?? values.find((v) => !SECONDARY_MOTIFS.has(v)) ?? values[0];
  return subject
    ? { subject: [subject], elements: values.filter((v) => v !== subject) }
    : { subject: [], elements: [] };
}

function chooseColors(items: Item[], exclude: string[], styles: readonly string[]): Color[] {
  const said = items
    .filter((i) => !i.negated)
    .map((i) => tagOf(i, 'color'))
    .filter((t) => t !== undefined);
  const named = said.filter((t) => !t.weak).map((t) => t.value);
  const colors: Color[] = named.length ? named : said.map((t) => t.value);
  const noColor = items.some((i) => i.negated === 'hard' && tagOf(i, 'color')?.value === 'full-color');
  // "no colour" on its own means a black piece; with black and grey already said, nothing to add.
  if (noColor && !colors.some((c) => c !== 'full-color')) colors.push('black');
  // Trash polka is black and red by definition.
  if (styles.includes('trash-polka')) colors.push('red', 'black');
  const last = [...colors].reverse().find((c) => c === 'black-and-grey' || c === 'full-color');
  return unique(colors).filter(
    (c) => !exclude.includes(c) && (c === last || (c !== 'black-and-grey' && c !== 'full-color')),
  );
}

function chooseSize(items: Item[], placements: Item[], words: readonly string[], dimension: Size | null): Size | null {
  const said = items
    .filter((i) => !i.negated)
    .map((i) => tagOf(i, 'size')?.value)
    .filter((s) => s !== undefined);
  let size = dimension ?? said[said.length - 1] ?? null;
  for (const item of placements) {
    size = largerSize(size, tagOf(item, 'placement')?.size ?? null);
    const placement = tagOf(item, 'placement')?.value;
    const spread = EXTENT_LARGE.has(words[item.start - 1] ?? '') || EXTENT_LARGE.has(words[item.start] ?? '');
    if (spread && placement && !SMALL_AREAS.has(placement)) size = largerSize(size, 'large');
  }
  const [first, second] = placements;
  const distinct = new Set(placements.map((p) => tagOf(p, 'placement')?.value));
  // Running from one area into another ("over the shoulder and down to the chest") makes a large piece.
  if (first && second && distinct.size > 1 && !words.slice(first.end, second.start).includes('or')) {
    size = largerSize(size, 'large');
  }
  return size;
}

function chooseMoods(items: Item[], words: readonly string[], motifs: readonly string[]): string[] {
  const said = items.filter((item) => {
    const mood = tagOf(item, 'mood');
    if (!mood) return false;
    if (mood.value !== 'dark' && mood.value !== 'soft') return true;
    // "dark green" is a shade, not a feeling.
    const next = matchPhrases(words.slice(item.end, item.end + 4))[0];
    return !(next?.start === 0 && next.tags.some((t) => t.kind === 'color'));
  });
  return unique(
    [...said.map((i) => tagOf(i, 'mood')?.value ?? ''), ...motifs.map((m) => MOTIF_MOODS[m] ?? '')].filter(Boolean),
  );
}

/** Keywords from one spoken or typed sentence (or a few), with no model involved. */
export function extractKeywords(text: string): Keywords {
  const out = emptyKeywords();
  if (typeof text !== 'string' || !text.trim()) return out;
  const { lettering, rest: withoutLettering } = takeLettering(text.slice(0, MAX_INPUT_CHARS));
  const { size: dimension, rest } = sizeFromDimensions(withoutLettering);
  const raw = tokenise(rewrite(rest));
  const tokens: Token[] = raw.map((word, index) => ({ word, raw: index })).filter((t) => !DROP_WORDS.has(t.word));
  const words = tokens.map((t) => t.word);
  const items = walk(words, raw, tokens);

  const exclude: string[] = [];
  const positive: Item[] = [];
  for (const item of items) {
    if (item.negated !== 'hard') {
      if (!item.negated) positive.push(item);
      continue;
    }
    for (const tag of item.tags) {
      if (tag.kind === 'motif' || tag.kind === 'style' || tag.kind === 'color') exclude.push(tag.value);
    }
  }
  if (NO_TEXT.test(rest)) exclude.push('script');

  const placements = positive.filter((i) => isPlacement(i, words, raw, tokens));
  const motifs = positive.filter((i) => tagOf(i, 'motif') && !placements.includes(i));
  const { subject, elements } = chooseMotifs(motifs, words, raw, tokens);
  out.subject = subject.filter((m) => !exclude.includes(m));
  out.elements = elements.filter((m) => !exclude.includes(m));

  const styles = unique(positive.flatMap((i) => i.tags.filter((t) => t.kind === 'style').map((t) => t.value)));
  out.style = styles.filter((s) => !exclude.includes(s));
  if (lettering && out.subject.length === 0 && out.style.length === 0 && !exclude.includes('script')) {
    out.style = ['script'];
  }
  out.colors = chooseColors(items, exclude, out.style);
  const [where] = placements;
  out.placement = where ? (tagOf(where, 'placement')?.value ?? null) : null;
  out.size = chooseSize(positive, placements, words, dimension);
  if (!out.size && out.style.includes('minimalist')) out.size = 'small';
  out.size ??= [...out.subject, ...out.elements].map((m) => MOTIF_SIZES[m]).find((s) => s !== undefined) ?? null;

  out.mood = chooseMoods(positive, words, [...out.subject, ...out.elements]);
  out.lettering = lettering;
  out.exclude = unique(exclude);
  return out;
}
