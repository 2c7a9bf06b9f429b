// The words the design parts show for keywords. The model, the tools, the events and image generation keep English:
// canonical ids ("fine-line", "forearm") and English motif words. A visitor in another language reads their own:
// the ids through one table a language (./labels/<lang>-labels.ts, fetched the first time a design part shows a
// keyword in that language), the motifs through the words the model gave with its extract_keywords call (its
// `labels`, kept in the session store). Never in the start-up bundle: only the lazy design parts and the
// conversation's machinery import this module.
import type { Language } from '../i18n/languages.ts';
import type { Keywords } from './types.ts';
import type { Color, Placement, Size, Style } from './vocab.ts';

export type VocabId = Style | Placement | Size | Color;
/** Every canonical id's label in one language: a table that misses an id does not compile. */
export type LabelTable = Readonly<Record<VocabId, string>>;
/** English motif word -> the visitor's word for it, as the model gave it (normalise.ts `normaliseLabels`). */
export type MotifLabels = Readonly<Record<string, string>>;

type Other = Exclude<Language, 'en'>;

/** Chunks of their own, next to the part that imports this module (the IIFE loads those chunks too, by URL). */
const TABLES: Record<Other, () => Promise<{ default: LabelTable }>> = {
  de: () => import('./labels/de-labels.ts'),
  fr: () => import('./labels/fr-labels.ts'),
  es: () => import('./labels/es-labels.ts'),
  it: () => import('./labels/it-labels.ts'),
  pt: () => import('./labels/pt-labels.ts'),
  nl: () => import('./labels/nl-labels.ts'),
  pl: () => import('./labels/pl-labels.ts'),
  tr: () => import('./labels/tr-labels.ts'),
  ja: () => import('./labels/ja-labels.ts'),
  zh: () => import('./labels/zh-labels.ts'),
  ko: () => import('./labels/ko-labels.ts'),
  hi: () => import('./labels/hi-labels.ts'),
  ar: () => import('./labels/ar-labels.ts'),
  he: () => import('./labels/he-labels.ts'),
};

/** Tables are immutable data: every widget on the page shares one download of each. */
const loaded = new Map<Language, LabelTable>();
const loading = new Map<Language, Promise<LabelTable | null>>();

/** The language's table (null for English, which shows the ids, or when it cannot be fetched: the ids show). */
export function loadLabels(lang: Language): Promise<LabelTable | null> {
  if (lang === 'en') return Promise.resolve(null);
  let table = loading.get(lang);
  if (!table) {
    table = TABLES[lang]().then(
      (m) => (loaded.set(lang, m.default), m.default),
      () => {
        loading.delete(lang); // a later render tries again
        console.warn(`<voice-buddy>: the "${lang}" keyword labels could not be loaded; showing the English ids.`);
        return null;
      },
    );
    loading.set(lang, table);
  }
  return table;
}

/** The table when it is here already, else null. */
export const labelsIfLoaded = (lang: Language): LabelTable | null => loaded.get(lang) ?? null;

const own = (record: Readonly<Record<string, string>> | null, key: string) =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

/**
 * What a keyword reads as: a canonical id its table's word, a motif the model's word, lettering as written; anything
 * without a label shows as it is.
 */
export function labelOf(
  field: keyof Keywords,
  value: string,
  table: LabelTable | null,
  motifs: MotifLabels | null,
): string {
  if (field === 'lettering') return value;
  if (field === 'style' || field === 'colors' || field === 'placement' || field === 'size')
    return own(table, value) ?? value;
  // An exclusion is a style or a colour as often as a motif.
  return (field === 'exclude' ? own(table, value) : undefined) ?? own(motifs, value) ?? value;
}

/**
 * The keyword a typed word stands for when it is one of the labels shown ("Unterarm" -> "forearm"), so a chip edited
 * in the visitor's language reaches the normaliser in English; any other text comes back as typed.
 */
export function idOf(text: string, lang: Language, table: LabelTable | null, motifs: MotifLabels | null): string {
  const key = text.trim().toLocaleLowerCase(lang);
  const same = ([, label]: [string, string]) => label.toLocaleLowerCase(lang) === key;
  const hit = Object.entries(table ?? {}).find(same) ?? Object.entries(motifs ?? {}).find(same);
  return hit ? hit[0] : text;
}

interface Host {
  requestUpdate(): void;
}

/**
 * A design part's view of the labels: `of` gives a keyword's words in the part's language (the id until the table
 * is in, then the part renders again), `id` reads a typed word back.
 */
export class KeywordLabels {
  private readonly waiting = new Set<Language>();

  constructor(
    private readonly host: Host,
    private readonly lang: () => Language,
    private readonly motifs: () => MotifLabels | null | undefined,
  ) {}

  private table(lang: Language): LabelTable | null {
    const table = labelsIfLoaded(lang);
    if (!table && lang !== 'en' && !this.waiting.has(lang)) {
      this.waiting.add(lang);
      void loadLabels(lang).then((t) => {
        this.waiting.delete(lang);
        if (t) this.host.requestUpdate();
      });
    }
    return table;
  }

  /** The model's motif words belong to a conversation in another language: English shows the English words. */
  readonly of = (field: keyof Keywords, value: string): string => {
    const lang = this.lang();
    return lang === 'en' ? value : labelOf(field, value, this.table(lang), this.motifs() ?? null);
  };

  readonly id = (text: string): string => {
    const lang = this.lang();
    return lang === 'en' ? text : idOf(text, lang, this.table(lang), this.motifs() ?? null);
  };
}
