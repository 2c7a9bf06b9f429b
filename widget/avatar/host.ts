import type { Locale } from '../i18n/locale.ts';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.ts';
import { errorPolicy } from '../contract/errors.ts';
import { loadAvatar } from '../lazy.ts';
import { followReplies, type SessionEvents } from '../realtime/session-events.ts';
import type { SessionStore } from '../state/session-store.ts';
import type { AvatarDetail, AvatarHandle, AvatarQualitySetting, StartAvatarOptions } from './avatar.lazy.ts';

export type { AvatarDetail, AvatarQualitySetting };

type SessionEventSource = <K extends keyof SessionEvents>(
  type: K,
  listener: (payload: SessionEvents[K]) => void,
) => () => void;

export const AVATAR_QUALITIES: readonly AvatarQualitySetting[] = ['auto', 'high', 'medium', 'low'];

export interface AvatarHostOptions {
  store: SessionStore;
  api: () => ApiClient | null;
  uid: () => string;
  /** The element's `part="avatar"`. */
  container: () => HTMLElement | null;
  muteModel: (muted: boolean) => void;
  emit: (detail: AvatarDetail) => void;
}

/**
 * The main bundle's side of the avatar: the visitor's switch and quality, and the link to the conversation. The
 * avatar itself (and Agora) lives in a lazy chunk, loaded the first time it starts; this file must stay small.
 * The avatar runs only while a conversation does: a session costs the site a unit and Akool credits.
 */
export class AvatarHost implements ReactiveController {
  /** Applied to every avatar the page starts; tests inject a fake Agora client and short timings. */
  static overrides: Partial<StartAvatarOptions> = {};
  /** The visitor (or `avatar="on"`) wants the avatar. A failure clears it, so it does not restart in a loop. */
  wanted = false;
  quality: AvatarQualitySetting = 'auto';
  handle: AvatarHandle | null = null;
  private active = false;
  private run = 0;
  private off: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly o: AvatarHostOptions,
  ) {
    host.addController(this);
  }

  /** Follows the conversation's status while the element is on the page; stops the avatar when it leaves. */
  hostConnected(): void {
    this.off = this.o.store.$status.listen(() => this.sync());
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = null;
    void this.stop();
  }

  /** Alt+V switches the avatar, Alt+Q steps through its qualities; returns what to announce, if anything. */
  shortcut(e: KeyboardEvent, locale: Locale): string | null {
    // e.code: Alt+letter types a symbol on macOS, so e.key is not the letter there.
    if (!e.altKey || !this.available || !(e.code === 'KeyV' || (e.code === 'KeyQ' && this.wanted))) return null;
    e.preventDefault();
    if (e.code === 'KeyV') {
      this.toggle();
      return null;
    }
    const next = AVATAR_QUALITIES[(AVATAR_QUALITIES.indexOf(this.quality) + 1) % AVATAR_QUALITIES.length]!;
    this.setQuality(next);
    return locale.t('say.quality', { quality: { key: `quality.${next}` } });
  }

  /** Bootstrap says the server, the tenant and the `avatar` flag allow it. */
  get available(): boolean {
    const config = this.o.store.$config.get();
    return !!config?.avatar.available && config.flags.avatar?.enabled !== false;
  }

  toggle(on = !this.wanted): void {
    this.wanted = on;
    this.sync();
    this.host.requestUpdate();
  }

  /** The page is going away: the avatar closes its session by beacon, before the conversation ends it. */
  pageHide(): void {
    this.handle?.pageHide();
  }

  setQuality(quality: AvatarQualitySetting): void {
    this.quality = quality;
    this.handle?.setQuality(quality);
    this.host.requestUpdate();
  }

  /** On every status change: runs while a conversation does. */
  sync(): void {
    const status = this.o.store.$status.get();
    if (!this.wanted || !this.available || status === 'idle' || status === 'error') void this.stop();
    else if (!this.active && (status === 'listening' || status === 'thinking' || status === 'speaking'))
      void this.start();
  }

  private async start(): Promise<void> {
    const run = ++this.run;
    this.active = true;
    const api = this.o.api();
    const container = this.o.container();
    try {
      const { startAvatar } = await loadAvatar();
      if (run !== this.run) return;
      if (!api || !container) return void (this.active = false);
      const handle = (this.handle = startAvatar({
        container,
        uid: this.o.uid(),
        quality: this.quality,
        api,
        muteModel: this.o.muteModel,
        refused: (code) => !errorPolicy(code).restart,
        notice: (text, tone) => this.o.store.addNotice(text, tone),
        bridge: {
          event: (detail) => {
            if (detail.type === 'fallback') this.wanted = false;
            this.o.emit(detail);
          },
          error: (code, message) => this.o.store.reportError(code, message),
          state: (state) => {
            if (state === 'off' && this.handle === handle) {
              this.handle = null;
              this.active = false;
            }
            this.host.requestUpdate();
          },
        },
        ...AvatarHost.overrides,
      }));
      this.host.requestUpdate();
    } catch {
      // The chunk did not load (offline, blocked by the page's CSP): the conversation goes on without it.
      if (run !== this.run) return;
      this.active = this.wanted = false;
      this.o.store.addNotice('The avatar could not be loaded.', 'warning');
      this.host.requestUpdate();
    }
  }

  async stop(): Promise<void> {
    if (!this.active) return;
    this.run++;
    this.active = false;
    const handle = this.handle;
    this.handle = null;
    this.host.requestUpdate();
    await handle?.stop();
  }

  /** The conversation's replies are what the avatar says; a barge-in stops it mid-sentence. */
  follow(on: SessionEventSource): () => void {
    return followReplies(on, () => this.handle);
  }
}
