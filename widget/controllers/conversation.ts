import { Task } from '@lit/task';
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ApiClient } from '../api/client.ts';
import { errorInfo, fromServerError, WidgetError } from '../api/errors.ts';
import {
  MODES,
  oneOf,
  SCRIPT_ORIGIN,
  SCRIPT_URL,
  storedVisitorId,
  validId,
  validKey,
  validUrl,
  warnOnce,
} from '../attributes.ts';
import type { WorkerApi } from '../api/endpoints.ts';
import type { AvatarHost } from '../avatar/host.ts';
import { errorPolicy } from '../contract/errors.ts';
import { API_MODE_TO_MODE, MODE_TO_API_MODE } from '../contract/modes.ts';
import { emit } from '../events.ts';
import { addEnglish } from '../i18n/english.ts';
import type { LocaleController } from '../i18n/locale-controller.ts';
import { loadAvatar, loadConversation, loadKeywordTools, loadPcmAudio, loadSpeech } from '../lazy.ts';
import type {
  ConversationViews,
  KeywordsController,
  PushToTalkInput,
  VoiceConnection,
} from '../realtime/conversation.lazy.ts';
import type { SessionStore, Mode } from '../state/session-store.ts';
import type { TelemetryHost } from '../telemetry/host.ts';
import type { SpeechHost } from '../tts/host.ts';
import type { EventBridge } from './event-bridge.ts';
import { browserName, watchMicPermission } from './mic.ts';
import { defineDesignParts } from '../parts/design.ts';

type Machinery = Awaited<ReturnType<typeof loadConversation>>;

let machinery: Promise<Machinery> | null = null;

/**
 * The conversation's machinery (realtime/conversation.lazy.ts), loaded once for the page and handed what it shares
 * with this bundle. A failed load (offline, the page's CSP) rejects with `load_failed` and is tried again next time.
 */
export function loadMachinery(): Promise<Machinery> {
  machinery ??= loadConversation().then(
    (m) => {
      addEnglish(m.english);
      m.provide({
        css,
        html,
        nothing,
        WidgetError,
        errorInfo,
        fromServerError,
        errorPolicy,
        MODE_TO_API_MODE,
        browserName,
        emit,
        loadKeywordTools,
        loadPcmAudio,
        loadAvatar,
        loadSpeech,
        SCRIPT_URL,
      });
      return m;
    },
    (cause: unknown) => {
      machinery = null;
      // Its words are network_error's (in every language): a chunk that did not arrive is a network failure.
      throw WidgetError.of('load_failed', { cause, text: 'network_error' });
    },
  );
  return machinery;
}

/** The element's attributes the conversation reads. */
export interface ConversationHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  key: string | null;
  apiBase: string | null;
  mode: string | null;
  model: string | null;
  voice: string | null;
  userId: string | null;
  readonly isUpdatePending: boolean;
}

export interface ConversationParts {
  avatar: AvatarHost;
  speech: SpeechHost;
  events: EventBridge;
  telemetry: Pick<TelemetryHost, 'pageHide'>;
  /** The widget's language: the session is asked for in it (`language`), the avatar and the speaker write in it. */
  i18n: Pick<LocaleController, 'language' | 'locale'>;
  /** Bootstrap answered (the site's default language may apply now). */
  configured: () => void;
}

/**
 * Owns the conversation of one element: bootstrap (a `@lit/task` keyed on the API base and the key), the API
 * client, the connection (a new one per bootstrap) and the keywords, and the mode the visitor talks in. The
 * connection and the keywords are the lazy machinery's: made when the visitor first acts (or hovers Start), never
 * for the first screen. The avatar, the speaker and the keywords follow the connection's semantic events. Released
 * when the element leaves the page; bootstrapped again when it comes back.
 */
export class Conversation implements ReactiveController {
  api: ApiClient | null = null;
  /** The routes a conversation uses, over `api`: null until the machinery (api/endpoints.ts) is there. */
  endpoints: () => WorkerApi | null = () => null;
  connection: VoiceConnection | null = null;
  /** There once the machinery loaded: before that there are no keywords to edit. */
  keywords: KeywordsController | null = null;
  /** Push-to-talk's button and Space key; there once the machinery is (a turn needs a live push-to-talk session). */
  talk: PushToTalkInput | null = null;
  /** The pieces of the panel only a conversation shows (talk, fallback offer, sound); there once the machinery is. */
  views: ConversationViews | null = null;
  private readonly bootstrap: Task<[string, string | null], void>;
  /** Bootstrap failed, or the element left the page since: the next connect or retry runs it again. */
  private stale = false;
  /** Bumped by disconnect(): a connect still waiting for the machinery gives up. */
  private attempt = 0;
  private offs: Array<() => void> = [];

  constructor(
    readonly host: ConversationHost,
    readonly store: SessionStore,
    readonly parts: ConversationParts,
  ) {
    host.addController(this);
    this.bootstrap = new Task(host, {
      args: () =>
        [validUrl('api-base', host.apiBase) ?? SCRIPT_ORIGIN, validKey('key', host.key)] as [string, string | null],
      task: ([base, key], { signal }) => this.load(base, key, signal),
    });
  }

  get visitorId(): string {
    return validId('user-id', this.host.userId) ?? storedVisitorId();
  }

  /** The modes the site offers, in the widget's terms (bootstrap leaves out modes whose flag is off). */
  get offeredModes(): Mode[] {
    const config = this.store.$config.get();
    return config ? config.modes.map((m) => API_MODE_TO_MODE[m]) : [...MODES];
  }

  /** The offered modes that work on this server now (a sandbox server cannot understand speech). */
  get allowedModes(): Mode[] {
    const unavailable = this.store.$config.get()?.unavailableModes ?? {};
    return this.offeredModes.filter((m) => !unavailable[MODE_TO_API_MODE[m]]);
  }

  hostConnected(): void {
    this.offs.push(watchMicPermission((state) => this.store.$micPermission.set(state)));
    if (this.stale) void this.bootstrap.run();
  }

  hostDisconnected(): void {
    for (const off of this.offs.splice(0)) off();
    this.stopWaiting();
    this.connection?.dispose();
    this.connection = null;
    this.stale = true;
  }

  private async load(base: string, key: string | null, signal: AbortSignal): Promise<void> {
    const { store, parts } = this;
    if (!key) {
      if (this.host.key === null) store.$config.set(null);
      return;
    }
    this.stale = false;
    this.connection?.dispose();
    this.connection = null;
    this.keywords?.dispose();
    const api = (this.api = new ApiClient(base, key));
    try {
      const config = await api.bootstrap(this.visitorId);
      if (signal.aborted) return;
      store.$config.set(config);
      parts.configured();
      this.applyMode();
    } catch (err) {
      if (signal.aborted) return;
      this.stale = true;
      const error = err instanceof WidgetError ? err : WidgetError.of('bootstrap_failed');
      if (error.code === 'bootstrap_failed' && new URL(base).origin !== location.origin) {
        // A refused origin gets no CORS headers, so the page cannot read why; tell the site owner where to look.
        console.warn(
          `<voice-buddy>: could not reach ${base}. If the console shows a CORS error, add ${location.origin} to this ` +
            "site's allowed origins.",
        );
      }
      this.fail(error);
    }
  }

  /** A failure of the conversation's own (bootstrap, the machinery's load): the error box, and the page is told. */
  private fail(error: WidgetError): void {
    this.store.$error.set(errorInfo(error));
    this.store.$status.set('error');
    this.store.reportError(error.code, error.message, error.options);
  }

  /** Bootstrap again when it failed or the element came back; else wait for the one under way. */
  private async ensureConfig(): Promise<void> {
    if (this.stale) await this.bootstrap.run();
    else await this.bootstrap.taskComplete.catch(() => {});
  }

  applyMode(): void {
    const config = this.store.$config.get();
    const fallback: Mode = config ? API_MODE_TO_MODE[config.defaultMode] : 'hands-free';
    const wanted = oneOf('mode', this.host.mode, MODES, fallback);
    if (config && this.offeredModes.includes(wanted) && !this.allowedModes.includes(wanted)) {
      warnOnce('mode', wanted, 'a mode this server runs (voice needs an OpenAI key on it)');
    }
    this.store.$mode.set(this.allowedModes.includes(wanted) ? wanted : fallback);
  }

  /** The `mode` attribute changed: a page that changes it during a conversation gets the picker's switch. */
  modeAttributeChanged(firstValue: boolean): void {
    const before = this.store.$mode.get();
    this.applyMode();
    const after = this.store.$mode.get();
    if (!firstValue && after !== before && this.connection?.active) void this.switchTo({ mode: after });
  }

  /** Switches mode (or model) and reconnects when live; the transcript stays. */
  async switchTo(change: { mode?: Mode; model?: string }): Promise<void> {
    const wasLive = this.connection?.active || this.store.$status.get() === 'error';
    if (change.model) this.host.model = change.model;
    if (change.mode) this.store.$mode.set(change.mode);
    this.store.$fallback.set(null);
    if (!wasLive) return;
    this.connection?.disconnect();
    await this.connect();
  }

  /**
   * The connection of this bootstrap, made once the machinery is there (null without a key); the keywords' side is
   * made with the first one. Rejects with `load_failed` when the machinery cannot load.
   */
  private async ensureConnection(): Promise<VoiceConnection | null> {
    const m = await loadMachinery();
    if (!this.keywords) m.equip(this);
    const api = this.endpoints();
    if (!this.connection && api) this.connection = m.openConnection(this, api);
    return this.connection;
  }

  /**
   * The connection for what the visitor did; `connecting` shows while the machinery loads for a Start. A load that
   * failed is the widget's error (`load_failed`, with Retry); one overtaken by disconnect() gives null.
   */
  private async connectionFor(start: boolean): Promise<VoiceConnection | null> {
    if (this.connection) return this.connection;
    const attempt = this.attempt;
    const status = this.store.$status.get();
    if (start && (status === 'idle' || status === 'error')) {
      this.store.$error.set(null);
      this.store.$status.set('connecting');
    }
    try {
      const connection = await this.ensureConnection();
      return attempt === this.attempt ? connection : null;
    } catch (err) {
      if (attempt !== this.attempt) return null;
      const error = err as WidgetError; // loadMachinery's load_failed
      this.parts.events.because(error.code);
      this.fail(error);
      return null;
    }
  }

  /** A connect waiting for the machinery gives up; its `connecting` ends. */
  private stopWaiting(): void {
    this.attempt++;
    if (!this.connection && this.store.$status.get() === 'connecting') this.store.$status.set('idle');
  }

  /**
   * Start is hovered or focused, the visitor's intent: the machinery loads, and the key (hands-free) or the audio
   * code (push-to-talk) is fetched ahead. A failure is left to the click, which shows it.
   */
  prewarm(): void {
    if (this.store.$mode.get() === 'push-to-talk') loadPcmAudio().catch(() => {});
    if (!this.api) return;
    void this.ensureConnection().then(
      (connection) => connection?.prewarm(),
      () => {},
    );
  }

  async connect(): Promise<void> {
    // Attributes set just before (el.setAttribute('mode', 'text'); el.connect()) take effect first.
    if (this.host.isUpdatePending) await this.host.updateComplete;
    if (!this.store.$config.get()) await this.ensureConfig();
    if (!this.store.$config.get()) return;
    // The visitor acted: the chips and the gallery load now, so that the first keywords need not wait for them.
    void defineDesignParts();
    const connection = await this.connectionFor(true);
    await connection?.connect();
  }

  disconnect(): void {
    this.stopWaiting();
    this.connection?.disconnect();
  }

  async sendText(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (!trimmed) return false;
    if (!this.api) await this.connect();
    const connection = this.api ? await this.connectionFor(false) : null;
    if (!connection) return false;
    return this.deliver(connection.sendText(trimmed));
  }

  /** Starts a conversation for a waiting message when none is on its way; one that cannot start marks it not sent. */
  deliver(sent: Promise<boolean> | false): Promise<boolean> {
    const connection = this.connection;
    const status = this.store.$status.get();
    if (sent && connection && (status === 'idle' || status === 'error')) {
      void this.connect().then(() => connection.active || connection.dropPending());
    }
    return sent || Promise.resolve(false);
  }

  async retry(): Promise<void> {
    this.store.$error.set(null);
    if (!this.store.$config.get()) {
      this.stale = true;
      await this.ensureConfig();
      return;
    }
    await this.connect();
  }
}
