import { TelemetryHost } from './telemetry/host.ts';
import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { A11yController } from './a11y/a11y-controller.ts';
import { PLACEMENTS, THEMES, VARIANTS, oneOf, validColor, validLang } from './attributes.ts';
import { AvatarHost } from './avatar/host.ts';
import { Conversation } from './controllers/conversation.ts';
import { EventBridge } from './controllers/event-bridge.ts';
import { DesignPartsLoader } from './parts/design.ts';
import { emit } from './events.ts';
import { LocaleController } from './i18n/locale-controller.ts';
import { sessionContext } from './state/context.ts';
import { createSessionStore, type Mode, type Status, type TranscriptEntry, type Usage } from './state/session-store.ts';
import { StoreController } from './state/store-controller.ts';
import { ContrastController } from './theme/contrast-controller.ts';
import { SpeechHost } from './tts/host.ts';
import { styles } from './voice-buddy.styles.ts';
import * as view from './voice-buddy.view.ts';

/**
 * An embeddable voice assistant: talk (or type) with an AI about a design idea.
 *
 * @summary Voice assistant widget.
 * @tag voice-buddy
 *
 * @attr key - Publishable key of the site (`pk_...`). Required.
 * @attr api-base - Base URL of the voice-buddy API. Default: the origin the script was loaded from.
 * @attr mode - `hands-free` | `push-to-talk` | `text`. Default: the site's default mode.
 * @attr model - Realtime model, one the site allows. Default: the site's default model.
 * @attr voice - Voice of the assistant. Default: the site's voice.
 * @attr variant - `inline` (in the page flow) | `floating` (a launcher bubble that opens a panel). Default `inline`.
 * @attr placement - Corner of the floating variant: `bottom-right` | `bottom-left` | `top-right` | `top-left`. Default
 *   `bottom-right`.
 * @attr theme - `light` | `dark` | `auto` (follows the visitor's system). Default `light`.
 * @attr lang - Language of the widget's text and of the conversation, a BCP 47 tag (see Languages). Default: the page's
 *   language, else the site's.
 * @attr user-id - Stable id of the visitor for rollouts; otherwise a random id kept in localStorage.
 * @attr greeting - First message shown before the conversation starts. Default: the site's greeting.
 * @attr accent - Accent colour (any CSS colour); overrides the site's branding and `--voice-buddy-accent`.
 * @attr open - Floating variant: whether the panel is open.
 * @attr owner-view - `on` | `off`: show the site owner's figures (tokens used, rate limits) and the model picker.
 *   Default: the site's setting (`settings.widget.ownerView`), else `off`: visitors see the state in words only.
 * @attr telemetry - `on` | `off`: send content-free usage events (README "Analytics") when the site allows it. Default
 *   `on`.
 * @attr avatar - `on` | `off`: show the talking avatar while a conversation runs, when the site offers it (the visitor
 *   switches it with the avatar button or Alt+V). Default `off`.
 *
 * @fires voice-buddy-status-change - `{ status, previous, mode, reason? }` whenever the conversation state changes
 *   (`idle`, `connecting`, `listening`, `thinking`, `speaking`, `reconnecting`, `fallback`, `error`); `reason` says why
 *   for `reconnecting`, `fallback` and `error`.
 * @fires voice-buddy-transcript - `{ entry, transcript }` whenever a message is added or grows.
 * @fires voice-buddy-error - `{ code, message }` when something fails; `message` is written for the visitor.
 * @fires voice-buddy-keywords - `{ keywords, source }` with the whole set of design keywords on every change.
 * @fires voice-buddy-handoff - `{ keywords, sessionId, trigger }` before concepts are requested; cancelable: call
 *   `preventDefault()` to take over (cart, booking) instead.
 * @fires voice-buddy-concept - `{ generationId, concept: { index, imageUrl, alt } }` for each concept as it arrives.
 * @fires voice-buddy-select - `{ generationId, concept, keywords }` when the visitor presses "Use this design" in
 * the concept viewer; cancelable: call `preventDefault()` to take it to booking or a cart yourself. Not cancelled,
 * the widget tells the assistant which concept was chosen (as the visitor's message) and the assistant confirms.
 * The viewer closes either way.
 * @fires voice-buddy-speech - `{ type: 'started' }` when a text-mode reply starts to be spoken, `{ type: 'ended',
 *   reason }` (`finished` | `interrupted` | `muted`) when it stops, `{ type: 'fallback', reason }` when speech failed
 *   and replies go on as silent text (`reason` is an error code).
 * @fires voice-buddy-avatar - `{ type: 'started' }` when the avatar is live, `{ type: 'fallback', reason }` when it
 *   ended by itself (the conversation goes on without it; `reason` is an error code), `{ type: 'quality-changed',
 *   quality }` (`high` | `medium` | `low`) when the visitor or a weak connection changed its video quality, `{ type:
 *   'sync', ms }` when it begins to say a reply, `ms` after the reply's text arrived.
 *
 * @csspart launcher - Floating variant: the round button that opens the panel; `data-live` (ring) while a conversation
 *   goes on
 * @csspart launcher-end - Floating variant, panel closed during a conversation: ends it from beside the launcher
 * @csspart close-button - Floating variant: closes the panel (on a phone the panel is full-screen and covers the
 *   launcher)
 * @csspart design-summary - The design area folded into one row (main keywords, number of concepts); opens and folds it
 * @csspart panel - The widget's card
 * @csspart header - Top bar with logo, name and status
 * @csspart logo - The site's logo
 * @csspart title - The assistant's name
 * @csspart status - The status pill element (its parts below are forwarded: `::part(usage)` reaches them)
 * @csspart avatar - The talking avatar's video with its status overlay (shown while the avatar runs)
 * @csspart transcript - The conversation element (its parts below are forwarded)
 * @csspart keywords - The design keyword chips (its parts below are forwarded: `::part(chip)` reaches them)
 * @csspart gallery - Generations with progress and concepts (its parts below are forwarded)
 * @csspart error - The error box with its retry button
 * @csspart retry-button - Retry in the error box
 * @csspart controls - The row of buttons
 * @csspart connect-button - Start / end the conversation
 * @csspart mute-button - Mute the microphone
 * @csspart level-meter - Live microphone level
 * @csspart sound-button - "Tap to turn on sound" when the browser blocked autoplay
 * @csspart speech-button - Text mode with spoken replies: mutes (or unmutes) the assistant's voice; muting stops it at
 *   once
 * @csspart avatar-button - Turns the talking avatar on or off (also Alt+V); shown when the site offers the avatar
 * @csspart text-form - The text input row
 * @csspart text-input - The text input
 * @csspart send-button - Send typed text
 * @csspart talk-button - Push-to-talk: hold while speaking (also the Space key while the widget has focus)
 * @csspart type-instead-button - After a microphone error: switch to typing
 * @csspart fallback-notice - Shown after falling back to a simpler mode
 * @csspart upgrade-button - Try the better mode again
 * @csspart settings - Row with the mode picker (and, in the owner view, the model picker)
 * @csspart mic-permission - The microphone permission as the browser reports it (allowed, will ask, blocked with how to
 *   re-allow); in voice modes where the Permissions API exists
 * @csspart mode-select - Mode picker
 * @csspart sandbox-notice - Sandbox mode (no OpenAI key on the server): why the voice modes are disabled
 * @csspart model-select - Model picker (owner view only)
 * @csspart avatar-quality - The avatar's video quality: auto, high, medium, low (Alt+Q steps through them); shown while
 *   the avatar is on
 *
 * @cssprop --voice-buddy-accent - Accent colour (buttons, visitor messages). Default: the site's accent colour, else
 *   its primary colour, else #4f46e5. Shifted towards the text colour just enough when it would stand out from the
 *   panel by less than 3:1.
 * @cssprop --voice-buddy-accent-contrast - Text on the accent colour. Default: white, or near-black where white would
 *   not reach 4.5:1.
 * @cssprop --voice-buddy-bg - Panel background.
 * @cssprop --voice-buddy-fg - Text colour.
 * @cssprop --voice-buddy-muted - Secondary text.
 * @cssprop --voice-buddy-border - Borders.
 * @cssprop --voice-buddy-pill-bg - Status pill and meter track.
 * @cssprop --voice-buddy-user-bg - Visitor message background. Default: the accent.
 * @cssprop --voice-buddy-user-fg - Visitor message text.
 * @cssprop --voice-buddy-assistant-bg - Assistant message background.
 * @cssprop --voice-buddy-radius - Corner radius. Default 14px.
 * @cssprop --voice-buddy-font - Font family. Default: the system UI font.
 * @cssprop --voice-buddy-font-size - Base font size. Default 15px.
 * @cssprop --voice-buddy-width - Panel width. Default 100% inline, min(380px, 100vw - 40px) floating.
 * @cssprop --voice-buddy-height - Panel height. Default 600px inline, min(640px, 100vh - 120px) floating; a phone gets
 *   the whole screen for an open floating panel. The conversation keeps half of it.
 * @cssprop --voice-buddy-shadow - Panel shadow.
 * @cssprop --voice-buddy-offset - Floating variant: distance from the corner. Default 20px.
 * @cssprop --voice-buddy-z-index - Floating variant: stacking order. Default 2147483000.
 */
export class VoiceBuddy extends LitElement {
  static override styles = styles;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: false };

  static override properties = {
    key: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    mode: { type: String },
    model: { type: String },
    voice: { type: String },
    variant: { type: String, reflect: true },
    placement: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    lang: { type: String },
    userId: { type: String, attribute: 'user-id' },
    greeting: { type: String },
    accent: { type: String },
    open: { type: Boolean, reflect: true },
    avatar: { type: String },
    ownerView: { type: String, attribute: 'owner-view' },
    telemetry: { type: String },
  };

  declare key: string | null;
  declare apiBase: string | null;
  declare mode: string | null;
  declare model: string | null;
  declare voice: string | null;
  declare variant: string;
  declare placement: string | null;
  declare theme: string;
  declare lang: string;
  declare userId: string | null;
  declare greeting: string | null;
  declare accent: string | null;
  declare open: boolean;
  declare avatar: string | null;
  declare ownerView: string | null;
  declare telemetry: string | null;

  /**
   * This instance's state; shared with the sub-elements through context, with nothing else.
   * @internal
   */
  readonly store = createSessionStore();
  /** This instance's language (i18n/locale-controller.ts): `lang`, else the page's, else the site's, else English. */
  private readonly i18n = new LocaleController(this, () => this.store.$config.get()?.language);
  // Controllers, in the order they hear a status change: the event first, then the announcement, then the avatar
  // and the speaker that follow the conversation.
  private readonly events = new EventBridge(this, this.store, () => this.i18n.locale);
  private readonly telemetryHost = new TelemetryHost(this, this.store);
  private readonly a11y = new A11yController(this, this.store, () => this.i18n.locale);
  private readonly avatarHost: AvatarHost = new AvatarHost(this, {
    store: this.store,
    api: () => this.conversation.endpoints(),
    uid: () => this.conversation.visitorId,
    container: () => this.renderRoot.querySelector('[part~="avatar"]'),
    muteModel: (muted) => this.conversation.connection?.setOutputMuted(muted),
    emit: (detail) => {
      if (detail.type === 'started') this.speech.stop(); // the avatar speaks from here on
      emit(this, 'voice-buddy-avatar', detail);
    },
  });
  private readonly speech: SpeechHost = new SpeechHost(this, {
    store: this.store,
    api: () => this.conversation.endpoints(),
    uid: () => this.conversation.visitorId,
    silenced: () => this.avatarHost.handle !== null,
    emit: (detail) => emit(this, 'voice-buddy-speech', detail),
  });
  private readonly conversation = new Conversation(this, this.store, {
    avatar: this.avatarHost,
    speech: this.speech,
    events: this.events,
    telemetry: this.telemetryHost,
    // The language the widget shows is the one the assistant speaks (the Worker adds it to the session).
    i18n: this.i18n,
    // The site's default language may apply once bootstrap answered.
    configured: () => this.i18n.update(),
  });
  // Keeps the accent readable: measured after each render (theme/contrast-controller.ts).
  private readonly contrast = new ContrastController(this, () => this.renderRoot.querySelector('.root'));
  // The chips and the gallery load with the first keywords or concepts (parts/design.ts).
  private readonly design = new DesignPartsLoader(this, this.store);
  private readonly provider = new ContextProvider(this, { context: sessionContext, initialValue: this.store });
  private readonly stores = new StoreController(this, () => {
    const s = this.store;
    // The concepts' count, not the generations: their progress re-renders the gallery alone.
    const design = [s.$fallback, s.$keywords, s.$micPermission, s.$conceptCount];
    return [s.$status, s.$config, s.$error, s.$muted, s.$needsAudioUnlock, s.$mode, ...design];
  });

  /** The design area (chips, concepts) is open; the visitor folds it into its summary row to read the conversation. */
  private designOpen = true;

  constructor() {
    super();
    this.key = this.apiBase = this.mode = this.model = this.voice = this.placement = this.userId = null;
    this.greeting = null;
    this.accent = null;
    this.avatar = null;
    this.telemetry = null;
    this.ownerView = null;
    this.variant = 'inline';
    this.theme = 'light';
    this.open = false;
  }

  /** Current conversation state. */
  get status(): Status {
    return this.store.$status.get();
  }

  /** The conversation so far. */
  get transcript(): readonly TranscriptEntry[] {
    return this.store.$transcript.get();
  }

  /** Tokens used in this conversation. */
  get usage(): Usage {
    return this.store.$usage.get();
  }

  /**
   * The offered modes that work on this server now (a sandbox server cannot understand speech).
   * @internal
   */
  get allowedModes(): Mode[] {
    return this.conversation.allowedModes;
  }

  /** Starts the conversation in the current mode. Resolves when connected or failed (see `status`). */
  connect(): Promise<void> {
    return this.conversation.connect();
  }

  /**
   * Ends the conversation and releases the microphone and the connection. The transcript stays. The widget does this
   * itself as the page goes away (`pagehide`, into the back/forward cache too).
   */
  disconnect(): void {
    this.conversation.disconnect();
  }

  /**
   * Sends a typed message; connects first when needed. A message typed while the connection is down waits (shown as
   * pending) and goes out when it is back. Resolves false when it could not be sent (then it is marked "not sent").
   */
  sendText(text: string): Promise<boolean> {
    return this.conversation.sendText(text);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('variant')) this.variant = oneOf('variant', this.variant, VARIANTS, 'inline');
    if (changed.has('placement') && this.placement !== null) {
      this.placement = oneOf('placement', this.placement, PLACEMENTS, 'bottom-right');
    }
    if (changed.has('theme')) this.theme = oneOf('theme', this.theme, THEMES, 'light');
    if (changed.has('lang')) {
      validLang('lang', this.lang); // warns once about a tag that is not one
      this.i18n.update();
    }
    if (changed.has('mode')) this.conversation.modeAttributeChanged(changed.get('mode') === undefined);
    if (changed.has('avatar')) this.avatarHost.toggle(oneOf('avatar', this.avatar, ['on', 'off'], 'off') === 'on');
  }

  private toggleOpen(open = !this.open) {
    this.open = open;
    void this.a11y.focusAfterToggle(open);
  }

  private onKeydown(e: KeyboardEvent) {
    if (e.key === 'Escape' && this.variant === 'floating' && this.open) {
      e.stopPropagation();
      this.toggleOpen(false);
      return;
    }
    this.conversation.talk?.onKeydown(e);
    const said = this.avatarHost.shortcut(e, this.i18n.locale);
    if (said) this.a11y.announce(said, 'message');
  }

  override render() {
    const s = this.store;
    const config = s.$config.get();
    const status = s.$status.get();
    const mode = s.$mode.get();
    const locale = this.i18n.locale;
    const { t } = locale;
    const v: view.PanelView = {
      store: s,
      locale,
      conversation: this.conversation,
      avatar: this.avatarHost,
      speech: this.speech,
      live: status !== 'idle' && status !== 'error',
      mode,
      ownerView: oneOf('owner-view', this.ownerView, ['on', 'off'], config?.ownerView ? 'on' : 'off') === 'on',
      model: this.model,
    };
    const name = config?.branding.name ?? t('app.name');
    const greeting =
      this.greeting ?? config?.branding.greeting ?? t(mode === 'text' ? 'app.greetText' : 'app.greetVoice');
    const accent = validColor('accent', this.accent);
    const brand = config?.branding.accentColor ?? config?.branding.primaryColor;
    const rootStyle = [brand ? `--_brand-accent:${brand}` : '', accent ? `--_attr-accent:${accent}` : ''].join(';');
    const floating = this.variant === 'floating';
    const panelId = 'voice-buddy-panel';

    return html`<div class="root" style=${rootStyle} lang=${locale.lang} dir=${locale.dir} @keydown=${this.onKeydown}
      @keyup=${(e: KeyboardEvent) => this.conversation.talk?.onKeyup(e)}
      @focusout=${(e: FocusEvent) => this.conversation.talk?.onFocusLost(e)}>
      ${floating ? view.launcherView(v, this.open, name, panelId, () => this.toggleOpen()) : nothing}
      <section class="panel" part="panel" id=${panelId} aria-label=${t('app.label', { name })} ?hidden=${floating && !this.open}>
        <header part="header">
          ${config?.branding.logoUrl ? html`<img part="logo" src=${config.branding.logoUrl} alt="" />` : nothing}
          <h2 class="title" part="title">${name}</h2>
          <voice-buddy-status-pill part="status" exportparts=${view.STATUS_PARTS} ?show-usage=${v.ownerView}></voice-buddy-status-pill>
          ${floating ? view.closeView(v, name, () => this.toggleOpen(false)) : nothing}
        </header>
        <div part="avatar" ?hidden=${!this.avatarHost.handle}></div>
        ${view.conversationView(v, greeting, this.designOpen, () => {
          this.designOpen = !this.designOpen;
          this.requestUpdate();
        })}
        ${view.noticesView(v)}
        <div class="dock">${view.controlsView(v)}${view.textFormView(v)}</div>
        ${view.settingsView(v)}
      </section>
      <div class="sr-only" role="status" aria-live="polite">${this.a11y.text}</div>
    </div>`;
  }
}
