// The English this page has loaded: the start-up bundle's (what the first screen, bootstrap and the controls say),
// then what the conversation's machinery and the design parts bring when they load (addEnglish). Nothing shows a
// key of those before its chunk is there: only that chunk's code uses them.
import type { Catalogue } from './en.ts';
import { start } from './en-start.ts';

export const english: Partial<Catalogue> = start;

export function addEnglish(messages: Partial<Catalogue>): void {
  Object.assign(english, messages);
}
