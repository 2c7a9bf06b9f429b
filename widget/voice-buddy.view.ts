// The element's template, in pieces: what the panel shows for the state it is given. No state of its own; every
// handler calls a controller.
import { html, nothing, svg, type TemplateResult } from 'lit';
import { AVATAR_QUALITIES, type AvatarHost, type AvatarQualitySetting } from './avatar/host.ts';
import { micPermissionLabel } from './controllers/mic.ts';
import type { Conversation } from './controllers/conversation.ts';
import { errorParams } from './controllers/event-bridge.ts';
import type { Locale } from './i18n/locale.ts';
import { VIEWER_PARTS } from './parts/concept-gallery/viewer-parts.ts';
import type { ShowKeyword } from './keywords/describe.ts';
import type { Keywords } from './keywords/types.ts';
import type { Mode, SessionStore } from './state/session-store.ts';
import type { SpeechHost } from './tts/host.ts';

/** What the pieces render from. */
export interface PanelView {
  store: SessionStore;
  /** The element's language now. */
  locale: Locale;
  conversation: Conversation;
  avatar: AvatarHost;
  speech: SpeechHost;
  live: boolean;
  mode: Mode;
  ownerView: boolean;
  model: string | null;
}

const selected = (e: Event) => (e.target as HTMLSelectElement).value;

/** The design area folded into one line: the main keywords and how many concepts there are; '' while empty. */
function designSummary(keywords: Keywords | null, concepts: number, locale: Locale, show?: ShowKeyword): string {
  const k = keywords;
  // The chips' words for them once the machinery is in (it has the labels); the keywords themselves before.
  const words = k
    ? (['subject', 'style', 'placement'] as const)
        .flatMap((f) => [k[f] ?? []].flat().map((v) => show?.(f, v) ?? v))
        .slice(0, 4)
    : [];
  const count = concepts ? locale.t('app.concepts', { n: concepts }) : '';
  return [words.join(' · '), count].filter(Boolean).join(' — ');
}

/** The transcript, the design keywords (foldable into a summary row) and the concepts. */
export function conversationView(
  v: PanelView,
  greeting: string,
  designOpen: boolean,
  fold: () => void,
): TemplateResult {
  const { conversation: c } = v;
  const k = c.keywords; // null until the machinery loaded: there are no keywords before that
  const config = v.store.$config.get();
  const summary = designSummary(v.store.$keywords.get(), v.store.$conceptCount.get(), v.locale, k?.show);
  return html`<voice-buddy-transcript part="transcript" exportparts=${TRANSCRIPT_PARTS} .placeholder=${greeting}
      @vb-resend=${(e: CustomEvent<string>) => void c.deliver(c.connection?.resend(e.detail) ?? false)}></voice-buddy-transcript>
    ${
      summary
        ? html`<button part="design-summary" class="summary" aria-expanded=${designOpen ? 'true' : 'false'}
          aria-controls="design" @click=${fold}><span class="summary-text">${summary}</span><span aria-hidden="true"
          >${designOpen ? '▾' : '▸'}</span></button>`
        : nothing
    }
    <div class="design" id="design" ?hidden=${Boolean(summary) && !designOpen} @vb-chip-remove=${k?.onChipRemove}
      @vb-chip-edit=${k?.onChipEdit} @vb-chip-add=${k?.onChipAdd} @vb-chip-undo=${k?.onChipUndo}
      @vb-generate=${k?.onGenerate}>
      <voice-buddy-keyword-chips part="keywords" exportparts=${KEYWORD_PARTS} ?can-generate=${k?.canGenerate() ?? false}
        ?allow-generate=${config?.flags['keywords.handoff']?.enabled !== false}></voice-buddy-keyword-chips>
      <voice-buddy-concept-gallery part="gallery" exportparts=${GALLERY_PARTS}
        @vb-say=${(e: CustomEvent<string>) => void c.sendText(e.detail)}></voice-buddy-concept-gallery>
    </div>`;
}

/** Inner parts of the sub-elements, forwarded so `::part()` reaches them from the page (README, CSS parts). */
export const KEYWORD_PARTS = 'group, chip, chip-edit, chip-input, chip-remove, undo, add-input, generate-button';
export const GALLERY_PARTS = ['generation', 'progress', 'concept', ...VIEWER_PARTS].join(', ');
export const STATUS_PARTS = 'pill, usage';
export const TRANSCRIPT_PARTS =
  'log, message, message-user, message-assistant, message-tool, message-notice, jump-button, message-status, resend-button';

/** The error box and the offer to try the better mode again. */
export function noticesView(v: PanelView): TemplateResult {
  const { store: s, conversation: c, locale } = v;
  const { t } = locale;
  const error = s.$error.get();
  const later = c.views; // what only a conversation shows: the machinery's
  return html`${
    error
      ? html`<div class="error" part="error" role="alert">${locale.message(error.text ?? error.code, error.message, errorParams(error.params))}${
          error.retryable ? html`<button part="retry-button" @click=${() => c.retry()}>${t('retry')}</button>` : nothing
        }${later?.typeInstead(v) ?? nothing}</div>`
      : nothing
  }
  ${later?.fallback(v) ?? nothing}`;
}

/** Start/end, push-to-talk, mute, spoken replies, avatar and sound. */
export function controlsView(v: PanelView): TemplateResult {
  const { store: s, conversation: c, avatar, speech, live } = v;
  const { t } = v.locale;
  const later = c.views; // what only a conversation shows: the machinery's
  const muted = s.$muted.get();
  return html`<div class="controls" part="controls">
    <button part="connect-button" class=${live ? 'danger' : 'primary'} ?disabled=${!s.$config.get() && !s.$error.get()}
      @pointerenter=${() => c.prewarm()} @focus=${() => c.prewarm()}
      @click=${() => (live ? c.disconnect() : void c.connect())}
    >${t(live ? 'app.end' : v.mode === 'text' ? 'app.startText' : 'app.startVoice')}</button>
    ${later?.talk(v) ?? nothing}
    ${
      live && v.mode !== 'text'
        ? html`<button part="mute-button" aria-pressed=${muted ? 'true' : 'false'} @click=${() => c.connection?.setMuted(!muted)}>
            ${t(muted ? 'app.unmute' : 'app.mute')}
          </button>
          <div class="meter" part="level-meter" role="img" aria-label=${t('app.level')}><span></span></div>`
        : nothing
    }
    ${
      speech.offered
        ? html`<button part="speech-button" aria-pressed=${speech.muted ? 'true' : 'false'} @click=${() => speech.toggleMute()}>
          ${t(speech.muted ? 'app.voiceUnmute' : 'app.voiceMute')}</button>`
        : nothing
    }
    ${
      avatar.available
        ? html`<button part="avatar-button" aria-pressed=${avatar.wanted ? 'true' : 'false'} aria-keyshortcuts="Alt+V"
          title=${t('app.avatarTitle')} @click=${() => avatar.toggle()}>${t('app.avatar')}</button>`
        : nothing
    }
    ${later?.sound(v) ?? nothing}
  </div>`;
}

/** The text row: while live, and always in text mode. */
export function textFormView(v: PanelView): TemplateResult | typeof nothing {
  if (!v.live && v.mode !== 'text') return nothing;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input');
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    void v.conversation.sendText(text);
  };
  const { t } = v.locale;
  return html`<form part="text-form" @submit=${submit}>
    <input part="text-input" type="text" aria-label=${t('app.input')} placeholder=${t('app.inputHint')} autocomplete="off" />
    <button part="send-button" type="submit">${t('app.send')}</button>
  </form>`;
}

/** Microphone permission, mode and model pickers, the avatar's quality. */
export function settingsView(v: PanelView): TemplateResult {
  const { store: s, conversation: c, avatar, locale } = v;
  const { t } = locale;
  const config = s.$config.get();
  const modes = c.allowedModes;
  const offered = c.offeredModes;
  const voiceOff = offered.some((m) => m !== 'text' && !modes.includes(m));
  const models = config?.models ?? [];
  const micState = s.$micPermission.get();
  const micLabel = v.mode === 'text' ? null : micPermissionLabel(micState, locale);
  const modeOption = (m: Mode) => html`<option value=${m} ?selected=${m === v.mode} ?disabled=${!modes.includes(m)}
    >${modes.includes(m) ? t(`mode.${m}`) : t('app.needsKey', { mode: { key: `mode.${m}` } })}</option>`;
  return html`<div class="settings" part="settings">
    ${micLabel ? html`<span part="mic-permission" data-state=${micState}>${micLabel}</span>` : nothing}
    ${
      offered.length > 1
        ? html`<label>${t('app.mode')} <select part="mode-select" .value=${v.mode}
          @change=${(e: Event) => c.switchTo({ mode: selected(e) as Mode })}>${offered.map(modeOption)}</select></label>`
        : nothing
    }
    ${
      voiceOff
        ? html`<span part="sandbox-notice">${t('app.sandbox')}${locale.lang === 'en' ? '' : ` ${t('app.sandboxEnglish')}`}</span>`
        : nothing
    }
    ${
      v.ownerView && models.length > 1
        ? html`<label>${t('app.model')} <select part="model-select" @change=${(e: Event) => c.switchTo({ model: selected(e) })}>
          ${models.map((m) => html`<option value=${m} ?selected=${m === (v.model ?? config?.defaultModel)}>${m}</option>`)}
        </select></label>`
        : nothing
    }
    ${
      avatar.available && avatar.wanted
        ? html`<label>${t('app.quality')} <select part="avatar-quality" aria-keyshortcuts="Alt+Q"
          @change=${(e: Event) => avatar.setQuality(selected(e) as AvatarQualitySetting)}>
          ${AVATAR_QUALITIES.map((q) => html`<option value=${q} ?selected=${q === avatar.quality}>${t(`quality.${q}`)}</option>`)}
        </select></label>`
        : nothing
    }
  </div>`;
}

const CROSS = svg`<path d="M6 6l12 12M18 6L6 18" />`;

/**
 * The floating variant's round button: a ring while a conversation goes on, and beside it, with the panel closed,
 * a button that ends the conversation.
 */
export function launcherView(
  v: PanelView,
  open: boolean,
  name: string,
  panelId: string,
  toggle: () => void,
): TemplateResult {
  const icon = open
    ? CROSS
    : svg`<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3" />`;
  const { t } = v.locale;
  const text = v.mode === 'text';
  const label = t(open ? 'app.close' : !v.live ? 'app.open' : text ? 'app.openLive' : 'app.openLiveMic', { name });
  return html`<button class="launcher" part="launcher" aria-expanded=${open ? 'true' : 'false'} aria-controls=${panelId}
    data-live=${v.live ? (text ? 'text' : 'mic') : nothing} aria-label=${label}
    @click=${toggle}><svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">${icon}</svg>
  </button>
  ${
    v.live && !open
      ? html`<button part="launcher-end" class="launcher-end" aria-label=${t('app.end')} @click=${() => v.conversation.disconnect()}
        >${t('app.endShort')}</button>`
      : nothing
  }`;
}

/** The floating panel's own close button (on a phone the panel covers the launcher). */
export function closeView(v: PanelView, name: string, close: () => void): TemplateResult {
  return html`<button part="close-button" class="close" aria-label=${v.locale.t('app.close', { name })} @click=${close}>
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">${CROSS}</svg>
  </button>`;
}
