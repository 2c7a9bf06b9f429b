// The speaker's side of a conversation, part of the conversation's machinery (realtime/conversation.lazy.ts): loads
// the speaker (its own lazy chunk) ahead of the first reply of a text conversation, passes it the replies, and falls
// back to silent text with one notice. The visitor's mute stays with the host (host.ts), in the start-up bundle.
import type { Locale } from '../i18n/locale.ts';
import { loadSpeech } from '../realtime/kit.ts';
import {
  followReplies,
  type AssistantDelta,
  type ReplyFollower,
  type SessionEventSource,
} from '../realtime/session-events.ts';
import type { SpeechHost } from './host.ts';
import type { EndReason, SpeechHandle } from './speech.lazy.ts';

type Speaking = Pick<ReplyFollower, 'onAssistantDelta' | 'onReplyDone'>;

export class SpeechRunner implements ReplyFollower {
  private handle: SpeechHandle | null = null;
  private loading: Promise<void> | null = null;
  /** What arrived while the speaker loaded, replayed when it is there. */
  private backlog: Array<(handle: Speaking) => void> = [];
  /** Failed in this conversation: silent text until the next one. */
  failed = false;

  constructor(
    private readonly speech: SpeechHost,
    /** The widget's language now: why speech stopped is said in it. */
    private readonly locale: () => Locale,
  ) {}

  private get active(): boolean {
    return this.speech.offered && !this.speech.muted && !this.speech.o.silenced();
  }

  /** Called on every status change: load ahead of the first reply; stop with the conversation. */
  sync(): void {
    const status = this.speech.o.store.$status.get();
    if (status === 'idle' || status === 'error' || !this.speech.offered) {
      this.stop();
      if (status === 'idle' && this.failed) this.reset();
    } else if (this.active) this.load();
  }

  /** Text replies are spoken as they stream; a barge-in (the visitor typed) silences them at once. */
  follow(on: SessionEventSource): () => void {
    return followReplies(on, () => this);
  }

  onAssistantDelta(delta: AssistantDelta): void {
    this.pass((h) => h.onAssistantDelta(delta));
  }

  onReplyDone(responseId: string | null): void {
    this.pass((h) => h.onReplyDone(responseId));
  }

  onBargeIn(): void {
    this.stop();
  }

  private pass(deliver: (handle: Speaking) => void): void {
    if (!this.active) return;
    if (this.handle) return deliver(this.handle);
    this.backlog.push(deliver);
    this.load();
  }

  stop(reason: EndReason = 'interrupted'): void {
    this.backlog = [];
    this.handle?.stop(reason);
  }

  resume(): void {
    this.handle?.resume();
  }

  private load(): void {
    const { o } = this.speech;
    const api = o.api();
    if (this.loading || !api) return;
    this.loading = (async () => {
      try {
        const { startSpeech } = await loadSpeech();
        this.handle = await startSpeech({
          api: { tts: (body, signal) => api.tts(body, signal) },
          uid: o.uid,
          started: () => o.emit({ type: 'started' }),
          ended: (reason) => o.emit({ type: 'ended', reason }),
          failed: (code, english, shown) => this.fail(code, english, shown),
          text: (key, english) => this.locale().t(key, {}, english),
          blocked: () => o.store.$needsAudioUnlock.set(true),
          ...this.speech.overrides,
        });
        for (const deliver of this.backlog.splice(0)) this.pass(deliver);
      } catch {
        // The chunk did not load (offline, the page's CSP).
        this.fail('tts_unavailable');
      }
    })();
  }

  /** One notice: the chunk's words when it has them (`shown` in the widget's language), else `speech.off`. */
  private fail(code: string, english?: string, shown?: string): void {
    if (this.failed) return;
    this.failed = true;
    this.backlog = [];
    const { o } = this.speech;
    const notice = english && shown ? o.store.addNotice(shown, 'warning') : o.store.note('speech.off', 'warning');
    o.emit({ type: 'fallback', reason: code });
    o.store.reportError(code, english ?? notice.text);
    this.speech.changed();
  }

  /** A failed speaker stays stopped; the next conversation gets a new one (and, failing, one notice again). */
  private reset(): void {
    this.failed = false;
    this.handle = null;
    this.loading = null;
  }
}
