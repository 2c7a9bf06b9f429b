// The design area's parts (keyword chips, concept gallery and its viewer), loaded when a conversation starts (or
// keywords or concepts arrive): the first screen shows none of them. Self-contained: what it shares with the
// start-up bundle comes in as the kit.
import { provide, type PartsKit } from './kit.ts';

export type { PartsKit } from './kit.ts';
/** What the parts say, in English: added to the page's English before they are defined. */
export { design as english } from '../i18n/en-design.ts';

/** Defines the chips, the gallery and the viewer (unless their tags are taken) with the entry's Lit. */
export async function defineDesignParts(kit: PartsKit): Promise<void> {
  provide(kit);
  // A module of its own: its classes extend the kit's LitElement, which must be there before they are evaluated.
  await import('./design-parts.ts');
}
