import type { Locale } from '../i18n/locale.ts';
import type { ReactiveControllerHost } from 'lit';
import type { WorkerApi } from '../api/endpoints.ts';
import { StatusFollower } from '../controllers/status-follower.ts';
import type { SessionStore } from '../state/session-store.ts';
import type { AvatarDetail, AvatarHandle, AvatarQualitySetting, StartAvatarOptions } from './avatar.lazy.ts';
import type { AvatarRunner } from './runner.ts';

export type { AvatarDetail, AvatarQualitySetting };

export const AVATAR_QUALITIES: readonly AvatarQualitySetting[] = ['auto', 'high', 'medium', 'low'];

export interface AvatarHostOptions {
  store: SessionStore;
  api: () => WorkerApi | null;
  uid: () => string;
  /** The element's `part="avatar"`. */
  container: () => HTMLElement | null;
  muteModel: (muted: boolean) => void;
  emit: (detail: AvatarDetail) => void;
}

/**
 * The start-up bundle's side of the avatar: the visitor's switch and quality. Running it is the conversation's
 * machinery's (runner.ts, handed over with the first connection), and the avatar itself (and Agora) a lazy chunk of
 * its own, loaded the first time it starts; this file must stay small.
 */
export class AvatarHost extends StatusFollower<AvatarRunner> {
  /** Applied to every avatar the page starts; tests inject a fake Agora client and short timings. */
  static overrides: Partial<StartAvatarOptions> = {};
  /** The visitor (or `avatar="on"`) wants the avatar. A failure clears it, so it does not restart in a loop. */
  wanted = false;
  quality: AvatarQualitySetting = 'auto';

  constructor(
    host: ReactiveControllerHost,
    readonly o: AvatarHostOptions,
  ) {
    super(host, o.store);
  }

  get handle(): AvatarHandle | null {
    return this.runner?.handle ?? null;
  }

  get overrides(): Partial<StartAvatarOptions> {
    return AvatarHost.overrides;
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

  protected left(): void {
    void this.runner?.stop();
  }
}
