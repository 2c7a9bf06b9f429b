// The pieces of the panel that only a conversation shows, part of the machinery (conversation.lazy.ts): the talk
// button, the offer to try the better mode again, "type instead" after a microphone error, and the sound button.
// The element's view (voice-buddy.view.ts) renders them with the entry's Lit (kit.ts) once the machinery is there.
import type { TemplateResult } from 'lit';
import type { PanelView } from '../voice-buddy.view.ts';
import { html, nothing } from './kit.ts';

type Piece = TemplateResult | typeof nothing;

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
    const { conversation: c, locale: { t } } = v;
    const fallback = v.store.$fallback.get();
    if (!fallback || !v.live) return nothing;
    return html`<div class="offer" part="fallback-notice">${t('app.using', { mode: { key: `mode.${v.mode}` } })}
      <button part="upgrade-button" @click=${() => c.switchTo({ mode: fallback.from })}
        >${t('app.upgrade', { mode: { key: `mode.${fallback.from}` } })}</button></div>`;
  },

  /** In the error box of a microphone error, where typing is allowed. */
  typeInstead({ store, conversation: c, locale: { t } }) {
    if (!store.$error.get()?.code.startsWith('mic_') || !c.allowedModes.includes('text')) return nothing;
    return html`<button part="type-instead-button" @click=${() => c.switchTo({ mode: 'text' })}>${t('app.typeInstead')}</button>`;
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
