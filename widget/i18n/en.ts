// The English catalogue: every key, in three parts that load with what shows them (the first screen, a conversation,
// the design area); at run time english.ts holds what has loaded. The fallback for a key another catalogue lacks.
// Placeholders are named: {name}. Counts use {n, plural, one {...} other {...}} with # for the number (Intl.PluralRules
// picks the branch, Intl.NumberFormat writes the number). Error messages are keyed by their code: `err.<code>`.

import type { AVATAR_TEXT } from '../avatar/texts.ts';
import type { CAPTION_TEXT } from '../parts/concept-gallery/concept-caption.ts';
import type { DESCRIBE_TEXT } from '../keywords/describe.ts';
import type { SPEECH_TEXT } from '../tts/texts.ts';
import { conversation } from './en-conversation.ts';
import { design } from './en-design.ts';
import { start } from './en-start.ts';

/** All of English: the keys every catalogue has (for types, and for tests; the widget reads english.ts). */
export const en = { ...start, ...conversation, ...design };

export type MessageKey = keyof typeof en;
/**
 * The texts only a lazy part shows (the avatar, spoken replies, the concept viewer's caption): their English sits in
 * that part's chunk, not in these parts; `Locale.t(key, params, english)` reads them.
 */
export type PartKey =
  keyof typeof AVATAR_TEXT | keyof typeof SPEECH_TEXT | keyof typeof CAPTION_TEXT | keyof typeof DESCRIBE_TEXT;
/** Every catalogue has every key: tsc checks it here, test/widget/i18n.test.ts checks the placeholders. */
export type Catalogue = Record<MessageKey | PartKey, string>;
