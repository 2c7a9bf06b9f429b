// The English catalogue: every key, in three parts that load with what shows them (the first screen, a conversation,
// the design area); at run time english.ts holds what has loaded. The fallback for a key another catalogue lacks.
// Placeholders are named: {name}. Counts use {n, plural, one {...} other {...}} with # for the number (Intl.PluralRules
// picks the branch, Intl.NumberFormat writes the number). Error messages are keyed by their code: `err.<code>`.

import { conversation } from './en-conversation.ts';
import { design } from './en-design.ts';
import { start } from './en-start.ts';

/** All of English: the keys every catalogue has (for types, and for tests; the widget reads english.ts). */
export const en = { ...start, ...conversation, ...design };

export type MessageKey = keyof typeof en;
/** Every catalogue has every key: tsc checks it here, test/widget/i18n-catalogues.test.ts checks the placeholders. */
export type Catalogue = Record<MessageKey, string>;
