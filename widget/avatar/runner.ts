// The avatar's side of a conversation, part of the conversation's machinery (realtime/conversation.lazy.ts): starts
// and stops the avatar (its own lazy chunk, with Agora) as the conversation goes, and passes it the replies. The
// visitor's switch and quality stay with the host (host.ts), in the start-up bundle.
import { followReplies, type SessionEventSource } from '../realtime/session-events.ts';
import { errorPolicy, loadAvatar } from '../realtime/kit.ts';
import type { Locale } from '../i18n/locale.ts';
import type { AvatarHost } from './host.ts';
import type { AvatarHandle } from './avatar.lazy.ts';

/** The avatar runs only while a conversation does: a session costs the site a unit and Akool credits. */
export class AvatarRunner {
  handle: AvatarHandle | null = null;
  private active = false;
  private run = 0;

  constructor(
    private readonly avatar: AvatarHost,
    /** The widget's language now: the avatar writes its overlay and notices in it. */
    private readonly locale: () => Locale,
  ) {}

  /** On every status change: runs while a conversation does. */
  sync(): void {
    const status = this.avatar.o.store.$status.get();
    const talking = status === 'listening' || status === 'thinking' || status === 'speaking';
    if (!this.avatar.wanted || !this.avatar.available || status === 'idle' || status === 'error') void this.stop();
    else if (!this.active && talking) void this.start();
  }

  private async start(): Promise<void> {
    const run = ++this.run;
    this.active = true;
    const { o } = this.avatar;
    const api = o.api();
    const container = o.container();
    try {
      const { startAvatar } = await loadAvatar();
      if (run !== this.run) return;
      if (!api || !container) return void (this.active = false);
      const handle = (this.handle = startAvatar({
        container,
        uid: o.uid(),
        quality: this.avatar.quality,
        api,
        muteModel: o.muteModel,
        refused: (code) => !errorPolicy(code).restart,
        notice: (text, tone) => o.store.addNotice(text, tone),
        text: (key, english, params) => this.locale().t(key, params, english),
        lang: this.locale().lang,
        bridge: {
          event: (detail) => {
            if (detail.type === 'fallback') this.avatar.wanted = false;
            o.emit(detail);
          },
          error: (code, message) => o.store.reportError(code, message),
          state: (state) => {
            if (state === 'off' && this.handle === handle) {
              this.handle = null;
              this.active = false;
            }
            this.avatar.changed();
          },
        },
        ...this.avatar.overrides,
      }));
      this.avatar.changed();
    } catch {
      // The chunk did not load (offline, blocked by the page's CSP): the conversation goes on without it.
      if (run !== this.run) return;
      this.active = this.avatar.wanted = false;
      o.store.note('note.avatarLoad', 'warning');
      this.avatar.changed();
    }
  }

  async stop(): Promise<void> {
    if (!this.active) return;
    this.run++;
    this.active = false;
    const handle = this.handle;
    this.handle = null;
    this.avatar.changed();
    await handle?.stop();
  }

  /** The conversation's replies are what the avatar says; a barge-in stops it mid-sentence. */
  follow(on: SessionEventSource): () => void {
    return followReplies(on, () => this.handle);
  }
}
