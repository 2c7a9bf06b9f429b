// The languages the widget speaks. Shared with the Worker, which tells the model which one to converse in.

export const LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'tr',
  'ja',
  'zh',
  'ko',
  'hi',
  'ar',
  'he',
] as const;
export type Language = (typeof LANGUAGES)[number];

/** Written right to left: the widget's root gets dir="rtl". */
export const RTL_LANGUAGES: readonly Language[] = ['ar', 'he'];

/** The language of a BCP 47 tag when the widget has a catalogue for it ("de-CH" -> "de"), else null. */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  const primary = (tag ?? '').split('-')[0]!.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : null;
}

/** English names, with the name in the language itself, for the model's instructions (Worker side only). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  de: 'German (Deutsch)',
  fr: 'French (français)',
  es: 'Spanish (español)',
  it: 'Italian (italiano)',
  pt: 'Portuguese (português)',
  nl: 'Dutch (Nederlands)',
  pl: 'Polish (polski)',
  tr: 'Turkish (Türkçe)',
  ja: 'Japanese (日本語)',
  zh: 'Chinese (简体中文)',
  ko: 'Korean (한국어)',
  hi: 'Hindi (हिन्दी)',
  ar: 'Arabic (العربية)',
  he: 'Hebrew (עברית)',
};
