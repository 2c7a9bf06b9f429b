import type { AssistantDelta, ReplyFollower } from '../realtime/session-events.ts';
import { AvatarMessageQueue, type SentenceSent } from './message-queue.ts';

export type Activity = 'ready' | 'thinking' | 'speaking';

/** What the avatar sends back over the data stream (Akool v2): events, and acknowledgements of our commands. */
export type AvatarMessage =
  | { v: 2; type: 'event'; mid?: string; pld: { event: 'audio_start' | 'audio_end' | (string & {}) } }
  | { v: 2; type: 'command'; mid?: string; pld: { cmd: string; code?: number; msg?: string } }
  | { v: 2; type: 'chat'; mid?: string; pld: { text?: string; from?: string } };

/** Akool's codes in a command acknowledgement that mean the session cannot speak any more. */
const SESSION_GONE = new Set([1216 /* session does not exist */, 1219 /* closed */]);

/** Reads one stream message from the avatar; anything that is not Akool's v2 JSON is ignored. */
export function parseAvatarMessage(payload: Uint8Array): AvatarMessage | null {
  try {
    const m = JSON.parse(new TextDecoder().decode(payload)) as Partial<AvatarMessage> | null;
    return m && m.v === 2 && typeof m.type === 'string' && m.pld && typeof m.pld === 'object'
      ? (m as AvatarMessage)
      : null;
  } catch {
    return null;
  }
}

export interface SpeechCallbacks {
  activity(activity: Activity): void;
  /** The avatar will not speak: no `audio_start` for a sentence in time, or an acknowledgement that says so. */
  cannotSpeak(reason: 'avatar_silent' | 'avatar_refused'): void;
  /** The avatar began to say a reply `ms` after the reply's first text arrived (its sync delay, for telemetry). */
  synced?(ms: number): void;
}

/**
 * What the avatar says: the assistant's transcript, sentence by sentence, through the message queue (Akool v2 chat
 * stream messages, paced), and what the avatar reports back: `audio_start` / `audio_end` decide when it is
 * speaking, and a sentence it never starts to say means it cannot speak (the caller falls back to audio only).
 */
export class AvatarSpeech implements ReplyFollower {
  private readonly queue: AvatarMessageQueue;
  private activity: Activity = 'ready';
  private responseDone = true;
  /** Between the avatar's `audio_start` and `audio_end`. */
  private talking = false;
  /** Armed when a sentence went out while the avatar was quiet; `audio_start` disarms it. */
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private response: string | undefined;
  private cancelled: string | undefined;
  /** When the text the avatar has not yet begun to say arrived (performance.now()); null while it talks or is idle. */
  private textSince: number | null = null;

  constructor(
    send: (bytes: Uint8Array) => void | Promise<void>,
    private readonly on: SpeechCallbacks,
    /** How long a sent sentence may wait for `audio_start` (Akool synthesises it first). */
    private readonly speechStartTimeoutMs = 8000,
  ) {
    this.queue = new AvatarMessageQueue({ send, onSent: (sentence) => this.onSent(sentence) });
  }

  /** The assistant's reply, spoken or typed: a sentence is sent the moment it ends (RealtimeSession decodes). */
  onAssistantDelta(d: AssistantDelta): void {
    // Deltas of a reply the visitor interrupted can still arrive before the cancel lands.
    if (d.responseId === this.cancelled) return;
    this.response = d.responseId;
    this.onTranscriptDelta(d.delta);
  }

  onReplyDone(responseId: string | null): void {
    if ((responseId ?? undefined) !== this.cancelled) this.onResponseDone();
  }

  /** What the avatar sent us. */
  onAvatarMessage(m: AvatarMessage): void {
    if (m.type === 'event' && m.pld.event === 'audio_start') {
      if (this.textSince !== null) this.on.synced?.(Math.round(performance.now() - this.textSince));
      this.textSince = null;
      clearTimeout(this.startTimer);
      this.startTimer = undefined;
      this.talking = true;
      this.set('speaking');
    } else if (m.type === 'event' && m.pld.event === 'audio_end') {
      this.talking = false;
      this.settle();
    } else if (m.type === 'command' && typeof m.pld.code === 'number' && m.pld.code !== 1000) {
      console.warn(`avatar: Akool answered ${m.pld.cmd} with code ${m.pld.code}${m.pld.msg ? ` (${m.pld.msg})` : ''}`);
      if (SESSION_GONE.has(m.pld.code)) this.on.cannotSpeak('avatar_refused');
    }
  }

  /** A sentence is sent the moment it ends, while the model is still writing the next. */
  private onTranscriptDelta(delta: string): void {
    this.responseDone = false;
    // The visitor sees this text now; how long until the avatar says it is the sync delay.
    if (!this.talking && this.textSince === null) this.textSince = performance.now();
    if (this.activity === 'ready') this.set('thinking');
    this.queue.pushDelta(delta);
  }

  /** The end of the response flushes what is left. */
  private onResponseDone(): void {
    this.queue.endResponse();
    this.responseDone = true;
    this.settle();
  }

  /**
   * The visitor speaks, presses to talk or types: interrupt at once and drop the queue. Sent even when the avatar
   * looks idle: its speech can outlast what it reported; an interrupt with nothing to stop costs one message.
   */
  onBargeIn(): void {
    this.cancelled = this.response;
    this.queue.interrupt();
    this.responseDone = true;
    this.talking = false;
    this.textSince = null;
    clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.set('ready');
  }

  dispose(): void {
    clearTimeout(this.startTimer);
    this.queue.dispose();
  }

  private onSent(_sentence: SentenceSent): void {
    // While it talks, Akool queues the sentence behind what it says: its audio_start already came.
    if (this.talking || this.startTimer !== undefined) return;
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      this.on.cannotSpeak('avatar_silent');
    }, this.speechStartTimeoutMs);
  }

  /** Quiet now: ready when nothing more is coming, else waiting for the next sentence. */
  private settle(): void {
    if (this.talking) return;
    if (this.responseDone && !this.queue.stats.queued && this.startTimer === undefined) this.set('ready');
    else if (this.activity === 'speaking') this.set('thinking');
  }

  private set(activity: Activity): void {
    if (activity === this.activity) return;
    this.activity = activity;
    this.on.activity(activity);
  }
}
