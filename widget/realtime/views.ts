// The pieces of the panel that only a conversation shows, part of the machinery (conversation.lazy.ts): the talk
// button, the offer to try the better mode again, "type instead" after a microphone error, and the sound button.
// The element's view (voice-buddy.view.ts) renders them with the entry's Lit (kit.ts) once the machinery is there.
import type { CSSResult, TemplateResult } from 'lit';
import type { PanelView } from '../voice-buddy.view.ts';
import { css, html, nothing } from './kit.ts';

type Piece = TemplateResult | typeof nothing;

/** The pieces' styles, after the element's own (voice-buddy.styles.ts): the first screen needs none of them. */
const styles = () => css`
  .talk {
    flex: 1; min-width: 9em; background: var(--_pill-bg); font-weight: 600; touch-action: none; user-select: none;
    -webkit-user-select: none;
  }
  .talk[aria-pressed='true'] { background: var(--_accent); color: var(--_accent-fg); border-color: transparent; }
  .offer { margin: 0 0.75em 0.5em; font-size: 0.85em; color: var(--_muted); }
  .offer button { padding: 0.2em 0.7em; font-size: 0.9em; }
`;

let sheet: CSSResult | undefined;

/** Adds the pieces' styles to an element's shadow root unless it has them (as Lit adopts: a sheet, else a <style>). */
export function addViewStyles(root: ShadowRoot): void {
  const result = (sheet ??= styles());
  const adopted = result.styleSheet;
  if (adopted) {
    if (!root.adoptedStyleSheets.includes(adopted)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, adopted];
  } else if (!root.querySelector('style[data-vb-views]')) {
    const style = document.createElement('style');
    style.setAttribute('data-vb-views', '');
    style.textContent = result.cssText;
    root.append(style);
  }
}

export interface ConversationViews {
  talk(v: PanelView): Piece;
  fallback(v: PanelView): Piece;
  typeInstead(v: PanelView): Piece;
  sound(v: PanelView): Piece;
}

export const views: ConversationViews = {
  /** Push-to-talk: hold the button (or Space) while speaking. */
  talk({ conversation: c, locale: { t } }) {
    const ptt = c.connection?.currentLive?.ptt;
    const talk = c.talk;
    if (!ptt || !talk) return nothing;
    return html`<button part="talk-button" class="talk" aria-pressed=${ptt.pressed ? 'true' : 'false'}
      aria-describedby="talk-hint" @pointerdown=${talk.onPointerDown} @pointerup=${talk.onPointerUp}
      @pointercancel=${talk.onPointerUp} @contextmenu=${(e: Event) => e.preventDefault()}
      >${t(ptt.pressed ? 'app.talking' : 'app.talk')}</button>
      <span id="talk-hint" class="sr-only">${t('app.talkHint')}</span>`;
  },

  /** After falling back to a simpler mode: the offer to try the better one again. */
  fallback(v) {
    const {
      conversation: c,
      locale: { t },
    } = v;
    const fallback = v.store.$fallback.get();
    if (!fallback || !v.live) return nothing;
    return html`<div class="offer" part="fallback-notice">${t('app.using', { mode: { key: `mode.${v.mode}` } })}
      <button part="upgrade-button" @click=${() => c.switchTo({ mode: fallback.from })}
        >${t('app.upgrade', { mode: { key: `mode.${fallback.from}` } })}</button></div>`;
  },

  /** In the error box of a microphone error, where typing is allowed. */
  typeInstead({ store, conversation: c, locale: { t } }) {
    if (!store.$error.get()?.code.startsWith('mic_') || !c.allowedModes.includes('text')) return nothing;
    return html`<button part="type-instead-button" @click=${() => c.switchTo({ mode: 'text' })}
      >${t('app.typeInstead')}</button>`;
  },

  /** The browser held sound back until the visitor taps: this is the tap. */
  sound({ store, conversation: c, speech, locale: { t } }) {
    if (!store.$needsAudioUnlock.get()) return nothing;
    return html`<button part="sound-button" class="primary" @click=${() => {
      speech.unlock();
      void c.connection?.unlockAudio();
    }}>${t('app.sound')}</button>`;
  },
};
