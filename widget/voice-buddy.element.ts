import { ContextProvider } from '@lit/context';
import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import type { BootstrapResponse } from '../worker/api-types.ts';
import { ApiClient } from './api/client.ts';
import { API_MODE_TO_MODE, MODE_TO_API_MODE } from './contract/modes.ts';
import { WidgetError } from './api/errors.ts';
import { AVATAR_QUALITIES, AvatarHost, type AvatarQualitySetting } from './avatar/host.ts';
import { MODES, oneOf, PLACEMENTS, warnOnce, SCRIPT_ORIGIN, SCRIPT_URL, spokenLanguage, storedVisitorId, THEMES, validColor, validId, validKey, validLang, validUrl, VARIANTS } from './attributes.ts';
import { workletUrl } from './controllers/audio-worklet-url.ts';
import { micPermissionLabel, watchMicPermission } from './controllers/mic.ts';
import { PcmCapture } from './controllers/pcm-capture.ts';
import { PcmPlayer } from './controllers/pcm-player.ts';
import { KeywordsController, type KeywordField } from './keywords/controller.ts';
import type { Keywords } from './keywords/types.ts';
import './parts/concept-gallery/concept-gallery.ts';
import './parts/keyword-chips/keyword-chips.ts';
import type { ChipEditDetail, ChipRemoveDetail } from './parts/keyword-chips/keyword-chips.ts';
import './parts/status-pill/status-pill.ts';
import { STATUS_LABELS } from './parts/status-pill/status-pill.ts';
import './parts/transcript/transcript.ts';
import { VoiceConnection } from './realtime/connection.ts';
import { sessionContext } from './state/context.ts';
import { createSessionStore, type Generation, type Mode, type Status, type TranscriptEntry, type Usage } from './state/session-store.ts';
import { AnnouncementQueue, type AnnouncementKind } from './a11y/announcements.ts';
import { ContrastController } from './theme/contrast-controller.ts';
import { StoreController } from './state/store-controller.ts';
import { SpeechHost } from './tts/host.ts';
import { EventBridge } from './controllers/event-bridge.ts';
import { emit } from './events.ts';
import { styles } from './voice-buddy.styles.ts';

const MODE_LABELS: Record<Mode, string> = { 'hands-free': 'Hands-free', 'push-to-talk': 'Push to talk', text: 'Text' };

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
 * @attr placement - Corner of the floating variant: `bottom-right` | `bottom-left` | `top-right` | `top-left`. Default `bottom-right`.
 * @attr theme - `light` | `dark` | `auto` (follows the visitor's system). Default `light`.
 * @attr lang - Language of the widget's text, a BCP 47 tag. Default: the page's language.
 * @attr user-id - Stable id of the visitor for rollouts; otherwise a random id kept in localStorage.
 * @attr greeting - First message shown before the conversation starts. Default: the site's greeting.
 * @attr accent - Accent colour (any CSS colour); overrides the site's branding and `--voice-buddy-accent`.
 * @attr open - Floating variant: whether the panel is open.
 * @attr owner-view - `on` | `off`: show the site owner's figures (tokens used, rate limits) and the model picker. Default: the site's setting (`settings.widget.ownerView`), else `off`: visitors see the state in words only.
 * @attr avatar - `on` | `off`: show the talking avatar while a conversation runs, when the site offers it (the visitor switches it with the avatar button or Alt+V). Default `off`.
 *
 * @fires voice-buddy-status-change - `{ status, previous, mode, reason? }` whenever the conversation state changes (`idle`, `connecting`, `listening`, `thinking`, `speaking`, `reconnecting`, `fallback`, `error`); `reason` says why for `reconnecting`, `fallback` and `error`.
 * @fires voice-buddy-transcript - `{ entry, transcript }` whenever a message is added or grows.
 * @fires voice-buddy-error - `{ code, message }` when something fails; `message` is written for the visitor.
 * @fires voice-buddy-keywords - `{ keywords, source }` with the whole set of design keywords on every change.
 * @fires voice-buddy-handoff - `{ keywords, sessionId, trigger }` before concepts are requested; cancelable: call `preventDefault()` to take over (cart, booking) instead.
 * @fires voice-buddy-concept - `{ generationId, concept: { index, imageUrl, alt } }` for each concept as it arrives.
 * @fires voice-buddy-speech - `{ type: 'started' }` when a text-mode reply starts to be spoken, `{ type: 'ended', reason }` (`finished` | `interrupted` | `muted`) when it stops, `{ type: 'fallback', reason }` when speech failed and replies go on as silent text (`reason` is an error code).
 * @fires voice-buddy-avatar - `{ type: 'started' }` when the avatar is live, `{ type: 'fallback', reason }` when it ended by itself (the conversation goes on without it; `reason` is an error code), `{ type: 'quality-changed', quality }` (`high` | `medium` | `low`) when the visitor or a weak connection changed its video quality.
 *
 * @csspart launcher - Floating variant: the round button that opens the panel; `data-live` (ring) while a conversation goes on
 * @csspart launcher-end - Floating variant, panel closed during a conversation: ends it from beside the launcher
 * @csspart close-button - Floating variant: closes the panel (on a phone the panel is full-screen and covers the launcher)
 * @csspart design-summary - The design area folded into one row (main keywords, number of concepts); opens and folds it
 * @csspart panel - The widget's card
 * @csspart header - Top bar with logo, name and status
 * @csspart logo - The site's logo
 * @csspart title - The assistant's name
 * @csspart status - The status pill element
 * @csspart avatar - The talking avatar's video with its status overlay (shown while the avatar runs)
 * @csspart transcript - The conversation element
 * @csspart keywords - The design keyword chips (inner parts: group, chip, chip-edit, chip-input, chip-remove, undo, add-input, generate-button)
 * @csspart gallery - Generations with progress and concepts (inner parts: generation, progress, concept, viewer)
 * @csspart error - The error box with its retry button
 * @csspart retry-button - Retry in the error box
 * @csspart controls - The row of buttons
 * @csspart connect-button - Start / end the conversation
 * @csspart mute-button - Mute the microphone
 * @csspart level-meter - Live microphone level
 * @csspart sound-button - "Tap to turn on sound" when the browser blocked autoplay
 * @csspart speech-button - Text mode with spoken replies: mutes (or unmutes) the assistant's voice; muting stops it at once
 * @csspart avatar-button - Turns the talking avatar on or off (also Alt+V); shown when the site offers the avatar
 * @csspart text-form - The text input row
 * @csspart text-input - The text input
 * @csspart send-button - Send typed text
 * @csspart talk-button - Push-to-talk: hold while speaking (also the Space key while the widget has focus)
 * @csspart type-instead-button - After a microphone error: switch to typing
 * @csspart fallback-notice - Shown after falling back to a simpler mode
 * @csspart upgrade-button - Try the better mode again
 * @csspart settings - Row with the mode picker (and, in the owner view, the model picker)
 * @csspart mic-permission - The microphone permission as the browser reports it (allowed, will ask, blocked with how to re-allow); in voice modes where the Permissions API exists
 * @csspart mode-select - Mode picker
 * @csspart sandbox-notice - Sandbox mode (no OpenAI key on the server): why the voice modes are disabled
 * @csspart model-select - Model picker (owner view only)
 * @csspart avatar-quality - The avatar's video quality: auto, high, medium, low (Alt+Q steps through them); shown while the avatar is on
 *
 * @cssprop --voice-buddy-accent - Accent colour (buttons, visitor messages). Default: the site's accent colour, else its primary colour, else #4f46e5. Shifted towards the text colour just enough when it would stand out from the panel by less than 3:1.
 * @cssprop --voice-buddy-accent-contrast - Text on the accent colour. Default: white, or near-black where white would not reach 4.5:1.
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
 * @cssprop --voice-buddy-height - Panel height. Default 600px inline, min(640px, 100vh - 120px) floating; a phone gets the whole screen for an open floating panel. The conversation keeps half of it.
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

  /**
   * This instance's state; shared with the sub-elements through context, with nothing else.
   * @internal
   */
  readonly store = createSessionStore();
  // Keeps the accent readable: measured after each render (theme/contrast-controller.ts).
  private readonly contrast = new ContrastController(this, () => this.renderRoot.querySelector('.root'));
  private readonly events = new EventBridge(this, this.store);
  private readonly provider = new ContextProvider(this, { context: sessionContext, initialValue: this.store });
  private readonly stores = new StoreController(this, () => [
    this.store.$status, this.store.$config, this.store.$error, this.store.$muted, this.store.$needsAudioUnlock, this.store.$mode,
    this.store.$fallback, this.store.$keywords, this.store.$micPermission, this.store.$generations,
  ]);
  /** The design area (chips, concepts) is open; the visitor folds it into its summary row to read the conversation. */
  private designOpen = true;
  private connection: VoiceConnection | null = null;
  private keywords: KeywordsController | null = null;
  private api: ApiClient | null = null;
  private bootstrapFor = '';
  private cleanups: Array<() => void> = [];
  private announcement = '';
  private readonly announcements = new AnnouncementQueue((text) => {
    this.announcement = text;
    this.requestUpdate();
  });
  private talkPointer: number | null = null;
  /** A push-to-talk turn held with the Space key: its keyup may never come when focus leaves, so that ends it. */
  private spaceHeld = false;
  private readonly avatarHost = new AvatarHost({
    store: this.store,
    api: () => this.api,
    uid: () => this.visitorId,
    container: () => this.renderRoot.querySelector('[part~="avatar"]'),
    muteModel: (muted) => this.connection?.setOutputMuted(muted),
    emit: (detail) => {
      if (detail.type === 'started') this.speech.stop(); // the avatar speaks from here on
      emit(this, 'voice-buddy-avatar', detail);
    },
    update: () => this.requestUpdate(),
  });
  private readonly speech = new SpeechHost({
    store: this.store,
    api: () => this.api,
    uid: () => this.visitorId,
    silenced: () => this.avatarHost.handle !== null,
    emit: (detail) => emit(this, 'voice-buddy-speech', detail),
    update: () => this.requestUpdate(),
  });

  constructor() {
    super();
    this.key = this.apiBase = this.mode = this.model = this.voice = this.placement = this.userId = this.greeting = this.accent = this.avatar = null;
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

  override connectedCallback(): void {
    super.connectedCallback();
    let lastTranscript: readonly TranscriptEntry[] = this.store.$transcript.get();
    this.cleanups.push(
      this.store.$status.listen((status) => {
        this.announce(STATUS_LABELS[status]);
        this.avatarHost.sync();
        this.speech.sync();
      }),
      this.store.$transcript.listen((transcript) => {
        const before = new Set(lastTranscript);
        lastTranscript = transcript;
        for (const entry of transcript) {
          if (!before.has(entry) && entry.final && entry.kind === 'assistant') this.announce(`Assistant: ${entry.text}`, 'message');
        }
      }),
      this.announceConcepts(),
      watchMicPermission((state) => this.store.$micPermission.set(state)),
      (() => {
        window.addEventListener('blur', this.onFocusLost);
        return () => window.removeEventListener('blur', this.onFocusLost);
      })(),
      // The meter moves every frame: it writes one CSS variable instead of re-rendering the element.
      this.store.$level.listen((level) => {
        this.renderRoot.querySelector<HTMLElement>('.meter > span')?.style.setProperty('--_level', level.toFixed(3));
      }),
    );
    void this.loadBootstrap();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.cleanups) off();
    this.cleanups = [];
    this.announcements.clear();
    void this.avatarHost.stop();
    this.speech.stop();
    this.connection?.dispose();
    this.connection = null;
    this.keywords?.dispose();
    this.keywords = null;
    this.bootstrapFor = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('variant')) this.variant = oneOf('variant', this.variant, VARIANTS, 'inline');
    if (changed.has('placement') && this.placement !== null) this.placement = oneOf('placement', this.placement, PLACEMENTS, 'bottom-right');
    if (changed.has('theme')) this.theme = oneOf('theme', this.theme, THEMES, 'light');
    if ((changed.has('key') || changed.has('apiBase')) && this.isConnected) void this.loadBootstrap();
    if (changed.has('mode')) {
      const before = this.store.$mode.get();
      this.applyMode();
      const after = this.store.$mode.get();
      // A page that changes the attribute during a conversation gets the same switch as the mode picker.
      if (changed.get('mode') !== undefined && after !== before && this.connection?.active) void this.switchTo({ mode: after });
    }
    if (changed.has('avatar')) this.avatarHost.toggle(oneOf('avatar', this.avatar, ['on', 'off'], 'off') === 'on');
  }

  /** Statuses may be superseded while they wait; replies and new concepts are always read (a11y/announcements.ts). */
  private announce(text: string, kind: AnnouncementKind = 'status') {
    this.announcements.push(text, kind);
  }

  /** A generation that finishes is announced once, with how many concepts it brought. */
  private announceConcepts(): () => void {
    const done = new Set<string>();
    return this.store.$generations.listen((generations) => {
      for (const g of generations) {
        if (g.status !== 'done' || done.has(g.id)) continue;
        done.add(g.id);
        const n = g.concepts.length;
        if (n) this.announce(n === 1 ? '1 new concept is ready' : `${n} new concepts are ready`, 'message');
      }
    });
  }

  private get visitorId(): string {
    return validId('user-id', this.userId) ?? storedVisitorId();
  }

  /** The modes the site offers, in the widget's terms (bootstrap leaves out modes whose flag is off). */
  private get offeredModes(): Mode[] {
    const config = this.store.$config.get();
    return config ? config.modes.map((m) => API_MODE_TO_MODE[m]) : [...MODES];
  }

  /**
   * The offered modes that work on this server now (a sandbox server cannot understand speech).
   * @internal
   */
  get allowedModes(): Mode[] {
    const unavailable = this.store.$config.get()?.unavailableModes ?? {};
    return this.offeredModes.filter((m) => !unavailable[MODE_TO_API_MODE[m]]);
  }

  private applyMode() {
    const config = this.store.$config.get();
    const fallback: Mode = config ? API_MODE_TO_MODE[config.defaultMode] : 'hands-free';
    const wanted = oneOf('mode', this.mode, MODES, fallback);
    if (config && this.offeredModes.includes(wanted) && !this.allowedModes.includes(wanted)) {
      warnOnce('mode', wanted, 'a mode this server runs (voice needs an OpenAI key on it)');
    }
    this.store.$mode.set(this.allowedModes.includes(wanted) ? wanted : fallback);
  }

  /** Switches mode (or model) and reconnects when live; the transcript stays. */
  private async switchTo(change: { mode?: Mode; model?: string }) {
    const wasLive = this.connection?.active || this.store.$status.get() === 'error';
    if (change.model) this.model = change.model;
    if (change.mode) this.store.$mode.set(change.mode);
    this.store.$fallback.set(null);
    if (!wasLive) return;
    this.connection?.disconnect();
    await this.connect();
  }

  private readonly onTalkDown = (e: PointerEvent) => {
    if (e.button !== 0 || this.talkPointer !== null) return;
    e.preventDefault();
    this.talkPointer = e.pointerId;
    try {
      // Keeps the release even when the finger slides off the button.
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    } catch {
      /* a pointer the browser does not track (synthetic) cannot be captured */
    }
    this.talk('press');
  };

  private readonly onTalkUp = (e: PointerEvent) => {
    if (e.pointerId !== this.talkPointer) return;
    this.talkPointer = null;
    this.talk(e.type === 'pointerup' ? 'release' : 'cancel');
  };

  private talk(action: 'press' | 'release' | 'cancel') {
    const ptt = this.connection?.currentLive?.ptt;
    if (!ptt) return;
    if (action === 'press') {
      ptt.press(); // interrupts the reply: the avatar stops talking when the visitor starts
    } else void (action === 'release' ? ptt.release() : ptt.cancel()).then(() => this.requestUpdate());
    this.requestUpdate();
  }

  private async loadBootstrap(): Promise<void> {
    const key = validKey('key', this.key);
    const base = validUrl('api-base', this.apiBase) ?? SCRIPT_ORIGIN;
    const id = `${base}|${key}`;
    if (!key || id === this.bootstrapFor) {
      if (!key && this.key === null) this.store.$config.set(null);
      return;
    }
    this.bootstrapFor = id;
    this.connection?.dispose();
    this.keywords?.dispose();
    const api = (this.api = new ApiClient(base, key));
    this.keywords = new KeywordsController(this.store, {
      api: () => this.api,
      session: () => this.connection?.currentSession ?? null,
      sessionId: () => this.connection?.currentLive?.sessionId ?? null,
      uid: () => this.visitorId,
      handoffEnabled: () => this.store.$config.get()?.flags['keywords.handoff']?.enabled !== false,
      host: this,
    });
    this.connection = new VoiceConnection({
      api,
      store: this.store,
      host: this,
      uid: () => this.visitorId,
      model: () => this.model ?? undefined,
      voice: () => this.voice ?? undefined,
      language: () => spokenLanguage(validLang('lang', this.lang) ?? document.documentElement.lang),
      allowedModes: () => this.allowedModes,
      pttAudio: (onChunk) => {
        const url = workletUrl(SCRIPT_URL);
        return { capture: new PcmCapture({ workletUrl: url, onChunk }), player: new PcmPlayer({ workletUrl: url }) };
      },
      onStatusReason: (_status, reason) => this.events.because(reason),
    });
    const on = this.connection.on.bind(this.connection);
    this.avatarHost.follow(on);
    this.speech.follow(on);
    this.keywords.answerCalls(on);
    try {
      const config: BootstrapResponse = await api.bootstrap(this.visitorId);
      if (this.api !== api) return;
      this.store.$config.set(config);
      this.applyMode();
    } catch (err) {
      if (this.api !== api) return;
      this.bootstrapFor = '';
      const error = err instanceof WidgetError ? err : new WidgetError('bootstrap_failed', 'The assistant could not start. Please try again.');
      if (error.code === 'bootstrap_failed' && new URL(base).origin !== location.origin) {
        // A refused origin gets no CORS headers, so the page cannot read why; tell the site owner where to look.
        console.warn(`<voice-buddy>: could not reach ${base}. If the console shows a CORS error, add ${location.origin} to this site's allowed origins.`);
      }
      this.store.$error.set({ code: error.code, message: error.message, retryable: error.retryable });
      this.store.$status.set('error');
      this.store.reportError(error.code, error.message);
    }
  }

  /** Starts the conversation in the current mode. Resolves when connected or failed (see `status`). */
  async connect(): Promise<void> {
    // Attributes set just before (el.setAttribute('mode', 'text'); el.connect()) take effect first.
    if (this.isUpdatePending) await this.updateComplete;
    if (!this.store.$config.get()) await this.loadBootstrap();
    if (!this.store.$config.get()) return;
    await this.connection?.connect();
  }

  /** Ends the conversation and releases the microphone and the connection. The transcript stays. */
  disconnect(): void {
    this.connection?.disconnect();
  }

  /**
   * Sends a typed message; connects first when needed. A message typed while the connection is down waits (shown as
   * pending) and goes out when it is back. Resolves false when it could not be sent (then it is marked "not sent").
   */
  async sendText(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (!trimmed) return false;
    if (!this.connection) await this.connect();
    if (!this.connection) return false;
    return this.deliver(this.connection.sendText(trimmed));
  }

  /** Starts a conversation for a waiting message when none is on its way; one that cannot start marks it not sent. */
  private deliver(sent: Promise<boolean> | false): Promise<boolean> {
    const connection = this.connection;
    const status = this.store.$status.get();
    if (sent && connection && (status === 'idle' || status === 'error')) void this.connect().then(() => connection.active || connection.dropPending());
    return sent || Promise.resolve(false);
  }

  private async retry() {
    this.store.$error.set(null);
    if (!this.store.$config.get()) {
      this.bootstrapFor = '';
      await this.loadBootstrap();
      return;
    }
    await this.connect();
  }

  private toggleOpen(open = !this.open) {
    this.open = open;
    void this.updateComplete.then(() => {
      const target = open ? this.renderRoot.querySelector<HTMLElement>('[part~="connect-button"]') : this.renderRoot.querySelector<HTMLElement>('.launcher');
      target?.focus();
    });
  }

  private isSpaceForTalk(e: KeyboardEvent): boolean {
    if (e.key !== ' ' || !this.connection?.currentLive?.ptt) return false;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (!target) return false;
    if (target.matches('input, textarea, select, [contenteditable]')) return false;
    // Space on another button keeps its native meaning (press that button).
    return !(target.matches('button') && !target.matches('[part~="talk-button"]'));
  }

  private onKeydown(e: KeyboardEvent) {
    if (e.key === 'Escape' && this.variant === 'floating' && this.open) {
      e.stopPropagation();
      this.toggleOpen(false);
      return;
    }
    if (this.isSpaceForTalk(e)) {
      e.preventDefault();
      if (!e.repeat) {
        this.spaceHeld = true;
        this.talk('press');
      }
    }
    // e.code: Alt+letter types a symbol on macOS, so e.key is not the letter there.
    const avatar = this.avatarHost;
    if (e.altKey && avatar.available && (e.code === 'KeyV' || (e.code === 'KeyQ' && avatar.wanted))) {
      e.preventDefault();
      if (e.code === 'KeyV') avatar.toggle();
      else {
        const next = AVATAR_QUALITIES[(AVATAR_QUALITIES.indexOf(avatar.quality) + 1) % AVATAR_QUALITIES.length]!;
        avatar.setQuality(next);
        this.announce(`Avatar quality: ${next}`, 'message');
      }
    }
  }

  private onKeyup(e: KeyboardEvent) {
    // The turn Space started ends with its keyup wherever focus went inside the widget meanwhile.
    if (e.key === ' ' && (this.spaceHeld || this.isSpaceForTalk(e))) {
      e.preventDefault();
      this.spaceHeld = false;
      this.talk('release');
    }
  }

  /** Focus left the widget (or the window) while Space was held: the turn ends as if the key came up. */
  private readonly onFocusLost = (e: FocusEvent) => {
    if (!this.spaceHeld) return;
    const next = e.relatedTarget as Node | null;
    if (e.type === 'focusout' && next && (this.contains(next) || this.renderRoot.contains(next))) return;
    this.spaceHeld = false;
    this.talk('release');
  };

  private onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input');
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    void this.sendText(text);
  }

  override render() {
    const s = this.store;
    const config = s.$config.get();
    const status = s.$status.get();
    const error = s.$error.get();
    const live = status !== 'idle' && status !== 'error';
    const mode = s.$mode.get();
    const fallback = s.$fallback.get();
    const ptt = this.connection?.currentLive?.ptt ?? null;
    const modes = this.allowedModes;
    const offered = this.offeredModes;
    const voiceOff = offered.some((m) => m !== 'text' && !modes.includes(m));
    const ownerView = oneOf('owner-view', this.ownerView, ['on', 'off'], config?.ownerView ? 'on' : 'off') === 'on';
    const models = config?.models ?? [];
    const micError = error && error.code.startsWith('mic_');
    const name = config?.branding.name ?? 'Voice assistant';
    const greeting = this.greeting ?? config?.branding.greeting ?? (mode === 'text' ? 'Type your idea below to start.' : 'Press Start to talk about your idea.');
    const accent = validColor('accent', this.accent);
    const brand = config?.branding.accentColor ?? config?.branding.primaryColor;
    const rootStyle = [brand ? `--_brand-accent:${brand}` : '', accent ? `--_attr-accent:${accent}` : ''].join(';');
    const floating = this.variant === 'floating';
    const panelId = 'voice-buddy-panel';
    const lang = validLang('lang', this.lang) ?? undefined;
    const avatar = this.avatarHost;
    const avatarOffered = avatar.available;
    const micState = s.$micPermission.get();
    const micLabel = mode === 'text' ? null : micPermissionLabel(micState);

    const summary = designSummary(s.$keywords.get(), s.$generations.get());
    const panel = html`<section class="panel" part="panel" id=${panelId} aria-label=${`${name} voice assistant`} ?hidden=${floating && !this.open}>
      <header part="header">
        ${config?.branding.logoUrl ? html`<img part="logo" src=${config.branding.logoUrl} alt="" />` : nothing}
        <h2 class="title" part="title">${name}</h2>
        <voice-buddy-status-pill part="status" ?show-usage=${ownerView}></voice-buddy-status-pill>
        ${floating
          ? html`<button part="close-button" class="close" aria-label=${`Close ${name}`} @click=${() => this.toggleOpen(false)}>
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
            </button>`
          : nothing}
      </header>
      <div part="avatar" ?hidden=${!avatar.handle}></div>
      <voice-buddy-transcript part="transcript" .placeholder=${greeting}
        @vb-resend=${(e: CustomEvent<string>) => void this.deliver(this.connection?.resend(e.detail) ?? false)}></voice-buddy-transcript>
      ${summary
        ? html`<button part="design-summary" class="summary" aria-expanded=${this.designOpen ? 'true' : 'false'}
            aria-controls="design" @click=${() => {
              this.designOpen = !this.designOpen;
              this.requestUpdate();
            }}><span class="summary-text">${summary}</span><span aria-hidden="true">${this.designOpen ? '▾' : '▸'}</span></button>`
        : nothing}
      <div class="design" id="design" ?hidden=${Boolean(summary) && !this.designOpen} @vb-chip-remove=${(e: CustomEvent<ChipRemoveDetail>) => void this.keywords?.remove(e.detail.field as KeywordField, e.detail.value)}
        @vb-chip-edit=${(e: CustomEvent<ChipEditDetail>) => void this.keywords?.edit(e.detail.field as KeywordField, e.detail.from, e.detail.to)}
        @vb-chip-add=${(e: CustomEvent<string>) => void this.keywords?.add(e.detail)} @vb-chip-undo=${() => this.keywords?.undoRemove()} @vb-generate=${() => void this.keywords?.generate('button')}>
        <voice-buddy-keyword-chips part="keywords" ?can-generate=${this.keywords?.canGenerate() ?? false}
          ?allow-generate=${config?.flags['keywords.handoff']?.enabled !== false}></voice-buddy-keyword-chips>
        <voice-buddy-concept-gallery part="gallery"></voice-buddy-concept-gallery>
      </div>
      ${error
        ? html`<div class="error" part="error" role="alert">${error.message}${error.retryable
            ? html`<button part="retry-button" @click=${this.retry}>Retry</button>`
            : nothing}${micError && modes.includes('text')
            ? html`<button part="type-instead-button" @click=${() => this.switchTo({ mode: 'text' })}>Type instead</button>`
            : nothing}</div>`
        : nothing}
      ${fallback && live
        ? html`<div class="offer" part="fallback-notice">Using ${MODE_LABELS[mode].toLowerCase()}.
            <button part="upgrade-button" @click=${() => this.switchTo({ mode: fallback.from })}>Try ${MODE_LABELS[fallback.from].toLowerCase()} again</button></div>`
        : nothing}
      <div class="controls" part="controls">
        <button
          part="connect-button"
          class=${live ? 'danger' : 'primary'}
          ?disabled=${!config && !error}
          @pointerenter=${() => this.connection?.prewarm()}
          @focus=${() => this.connection?.prewarm()}
          @click=${() => (live ? this.disconnect() : void this.connect())}
        >${live ? 'End conversation' : mode === 'text' ? 'Start chatting' : 'Start talking'}</button>
        ${ptt
          ? html`<button part="talk-button" class="talk" aria-pressed=${ptt.pressed ? 'true' : 'false'}
              aria-describedby="talk-hint"
              @pointerdown=${this.onTalkDown} @pointerup=${this.onTalkUp} @pointercancel=${this.onTalkUp}
              @contextmenu=${(e: Event) => e.preventDefault()}>${ptt.pressed ? 'Listening… release to send' : 'Hold to talk'}</button>
              <span id="talk-hint" class="sr-only">Press and hold, or hold the Space key, while you speak.</span>`
          : nothing}
        ${live && mode !== 'text'
          ? html`<button part="mute-button" aria-pressed=${s.$muted.get() ? 'true' : 'false'} @click=${() => this.connection?.setMuted(!s.$muted.get())}>
                ${s.$muted.get() ? 'Unmute' : 'Mute'}
              </button>
              <div class="meter" part="level-meter" role="img" aria-label="Microphone level"><span></span></div>`
          : nothing}
        ${this.speech.offered
          ? html`<button part="speech-button" aria-pressed=${this.speech.muted ? 'true' : 'false'} @click=${() => this.speech.toggleMute()}>
              ${this.speech.muted ? 'Unmute voice' : 'Mute voice'}</button>`
          : nothing}
        ${avatarOffered
          ? html`<button part="avatar-button" aria-pressed=${avatar.wanted ? 'true' : 'false'} aria-keyshortcuts="Alt+V" title="Talking avatar (Alt+V)"
              @click=${() => avatar.toggle()}>Avatar</button>`
          : nothing}
        ${s.$needsAudioUnlock.get()
          ? html`<button part="sound-button" class="primary" @click=${() => {
              this.speech.unlock();
              void this.connection?.unlockAudio();
            }}>Tap to turn on sound</button>`
          : nothing}
      </div>
      ${live || mode === 'text'
        ? html`<form part="text-form" @submit=${this.onSubmit}>
            <input part="text-input" type="text" aria-label="Type a message" placeholder="Type a message…" autocomplete="off" />
            <button part="send-button" type="submit">Send</button>
          </form>`
        : nothing}
      <div class="settings" part="settings">
        ${micLabel ? html`<span part="mic-permission" data-state=${micState}>${micLabel}</span>` : nothing}
        ${offered.length > 1
          ? html`<label>Mode <select part="mode-select" .value=${mode} @change=${(e: Event) => this.switchTo({ mode: (e.target as HTMLSelectElement).value as Mode })}>
              ${offered.map((m) => html`<option value=${m} ?selected=${m === mode} ?disabled=${!modes.includes(m)}>${MODE_LABELS[m]}${modes.includes(m) ? '' : ' (needs a provider key)'}</option>`)}
            </select></label>`
          : nothing}
        ${voiceOff ? html`<span part="sandbox-notice">Sandbox mode: voice needs an OpenAI key on the server.</span>` : nothing}
        ${ownerView && models.length > 1
          ? html`<label>Model <select part="model-select" @change=${(e: Event) => this.switchTo({ model: (e.target as HTMLSelectElement).value })}>
              ${models.map((m) => html`<option value=${m} ?selected=${m === (this.model ?? config?.defaultModel)}>${m}</option>`)}
            </select></label>`
          : nothing}
        ${avatarOffered && avatar.wanted
          ? html`<label>Avatar quality <select part="avatar-quality" aria-keyshortcuts="Alt+Q" @change=${(e: Event) => avatar.setQuality((e.target as HTMLSelectElement).value as AvatarQualitySetting)}>
              ${AVATAR_QUALITIES.map((q) => html`<option value=${q} ?selected=${q === avatar.quality}>${q}</option>`)}
            </select></label>`
          : nothing}
      </div>
    </section>`;

    return html`<div class="root" style=${rootStyle} lang=${lang ?? nothing} @keydown=${this.onKeydown} @keyup=${this.onKeyup} @focusout=${this.onFocusLost}>
      ${floating
        ? html`<button class="launcher" part="launcher" aria-expanded=${this.open ? 'true' : 'false'} aria-controls=${panelId}
            data-live=${live ? (mode === 'text' ? 'text' : 'mic') : nothing}
            aria-label=${this.open ? `Close ${name}` : `Open ${name}${live ? (mode === 'text' ? ', conversation in progress' : ', conversation in progress, microphone on') : ''}`}
            @click=${() => this.toggleOpen()}>
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
              ${this.open ? svg`<path d="M6 6l12 12M18 6L6 18" />` : svg`<path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3" />`}
            </svg>
          </button>`
        : nothing}
      ${floating && live && !this.open
        ? html`<button part="launcher-end" class="launcher-end" aria-label="End conversation" @click=${() => this.disconnect()}>End</button>`
        : nothing}
      ${panel}
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }
}

/** The design area folded into one line: the main keywords and how many concepts there are; '' while empty. */
function designSummary(keywords: Keywords | null, generations: readonly Generation[]): string {
  const words = keywords ? [...keywords.subject, ...keywords.style, keywords.placement].filter(Boolean).slice(0, 4) : [];
  const concepts = generations.reduce((n, g) => n + g.concepts.length, 0);
  const count = concepts ? (concepts === 1 ? '1 concept' : `${concepts} concepts`) : '';
  return [words.join(' · '), count].filter(Boolean).join(' — ');
}
