// What the lazily loaded parts (design.lazy.ts) take from the start-up bundle instead of bundling their own: Lit
// itself (a second copy would weigh as much again), the session's consumer (its context is the element's own key, or
// the parts would never find their <voice-buddy>), and the helpers the entry already has. The entry hands them over
// once, through provide(), before it imports the parts; the parts import these bindings, which are live.
import type * as Lit from 'lit';
import type { keyed as Keyed } from 'lit/directives/keyed.js';
import type { defineOnce as DefineOnce } from '../define.ts';
import type { emit as Emit } from '../events.ts';
import type { VIEWER_PARTS as ViewerParts } from './concept-gallery/viewer-parts.ts';
import type { SessionConsumer as Sessions } from '../state/session-consumer.ts';
import type { LocaleConsumer as Locales } from '../i18n/locale-controller.ts';

export interface PartsKit {
  LitElement: typeof Lit.LitElement;
  css: typeof Lit.css;
  html: typeof Lit.html;
  nothing: typeof Lit.nothing;
  svg: typeof Lit.svg;
  keyed: typeof Keyed;
  SessionConsumer: typeof Sessions;
  defineOnce: typeof DefineOnce;
  emit: typeof Emit;
  VIEWER_PARTS: typeof ViewerParts;
  LocaleConsumer: typeof Locales;
}

// Set once by provide(), before any part module runs.
export let LitElement: PartsKit['LitElement'];
export let css: PartsKit['css'];
export let html: PartsKit['html'];
export let nothing: PartsKit['nothing'];
export let svg: PartsKit['svg'];
export let keyed: PartsKit['keyed'];
export let SessionConsumer: PartsKit['SessionConsumer'];
export let defineOnce: PartsKit['defineOnce'];
export let emit: PartsKit['emit'];
export let VIEWER_PARTS: PartsKit['VIEWER_PARTS'];
export let LocaleConsumer: PartsKit['LocaleConsumer'];

export function provide(kit: PartsKit): void {
  ({ LitElement, css, html, nothing, SessionConsumer } = kit);
  ({ svg, keyed, defineOnce, emit, VIEWER_PARTS, LocaleConsumer } = kit);
}
