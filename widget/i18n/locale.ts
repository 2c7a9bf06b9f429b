// One language's messages with Intl's plurals and numbers. A key the catalogue lacks falls back to English and warns
// once per key and language.
import type { Catalogue, MessageKey, PartKey } from './en.ts';
import { english } from './english.ts';
import { RTL_LANGUAGES, type Language } from './languages.ts';

/** A placeholder's value: text, a number (written the language's way) or another message of the catalogue. */
export type Params = Readonly<Record<string, string | number | { key: MessageKey }>>;

const warned = new Set<string>();
const PLURAL = /\{(\w+), plural, ((?:\w+ \{[^{}]*\}\s*)+)\}/g;
const BRANCH = /(\w+) \{([^{}]*)\}/g;

export class Locale {
  private numbers?: Intl.NumberFormat;
  private plurals?: Intl.PluralRules;

  constructor(
    readonly lang: Language,
    private readonly messages: Partial<Catalogue>,
  ) {}

  get dir(): 'ltr' | 'rtl' {
    return RTL_LANGUAGES.includes(this.lang) ? 'rtl' : 'ltr';
  }

  /** A number as this language writes it. */
  readonly num = (n: number): string => (this.numbers ??= new Intl.NumberFormat(this.lang)).format(n);

  /** A percentage (0-100) as this language writes it: "50 %", "%50". */
  readonly percent = (n: number): string => new Intl.NumberFormat(this.lang, { style: 'percent' }).format(n / 100);

  /**
   * The message for `key` with its {placeholders} filled in. A lazy part passes `own`, its English for one of its
   * keys (`PartKey`): English has none of those, and a catalogue without one falls back to it.
   */
  readonly t = (key: MessageKey | PartKey, params: Params = {}, own?: string): string => {
    let message = this.messages[key] ?? own;
    if (message === undefined) {
      const id = `${this.lang}:${key}`;
      if (!warned.has(id)) {
        warned.add(id);
        console.warn(`<voice-buddy>: the "${this.lang}" catalogue has no "${key}"; using English.`);
      }
      message = english[key] ?? key;
    }
    const value = (name: string) => {
      const v = params[name];
      return typeof v === 'number' ? this.num(v) : typeof v === 'object' ? this.t(v.key) : (v ?? `{${name}}`);
    };
    return message
      .replace(PLURAL, (_all, name: string, branches: string) => {
        const n = Number(params[name]);
        const forms = Object.fromEntries([...branches.matchAll(BRANCH)].map((b) => [b[1], b[2]]));
        const form = forms[(this.plurals ??= new Intl.PluralRules(this.lang)).select(n)] ?? forms.other ?? '';
        return form.replace(/#/g, this.num(n));
      })
      .replace(/\{(\w+)\}/g, (_all, name: string) => value(name));
  };

  /**
   * An error's words: `text` as it came in English (it may say more than the code: the Worker's own words), else the
   * catalogue's `err.<code>` when there is one, else `text`.
   */
  readonly message = (code: string, text: string, params?: Params): string =>
    this.lang !== 'en' && `err.${code}` in english ? this.t(`err.${code}` as MessageKey, params) : text;
}

export const ENGLISH = new Locale('en', english);

/** The words for a status: a text conversation waiting for the visitor is "Ready", not "Listening" (no microphone). */
export const statusKey = (status: string, mode: string) =>
  (status === 'listening' && mode === 'text' ? 'status.idle' : `status.${status}`) as MessageKey;
