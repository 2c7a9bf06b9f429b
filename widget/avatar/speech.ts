import type { RealtimeServerEvent } from '../realtime/transport.ts';
import { AvatarMessageQueue, type SentenceSent } from './message-queue.ts';

export type Activity = 'ready' | 'thinking' | 'speaking';

/** About 150 words a minute; it only decides when the avatar counts as done speaking (speaking -> ready). */
const MS_PER_CHAR = 65;

/**
 * What the avatar says: the assistant's transcript, sentence by sentence, through the message queue (Akool v2 chat
 * stream messages, paced), and whether it is idle, waiting for a first sentence, or speaking.
 */
export class AvatarSpeech {
  private readonly queue: AvatarMessageQueue;
  private activity: Activity = 'ready';
  private responseDone = true;
  private speakingUntil = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private response: string | undefined;
  private cancelled: string | undefined;

  constructor(
    send: (bytes: Uint8Array) => void | Promise<void>,
    private readonly onActivity: (activity: Activity) => void,
  ) {
    this.queue = new AvatarMessageQueue({ send, onSent: (sentence) => this.onSent(sentence) });
  }

  /** Routes the live session's server events to the three methods below. */
  onServerEvent(e: RealtimeServerEvent): void {
    if (e.type === 'response.output_audio_transcript.delta' || e.type === 'response.output_text.delta') {
      // Deltas of a reply the visitor interrupted can still arrive before the cancel lands.
      if (e.response_id === this.cancelled) return;
      this.response = e.response_id;
      this.onTranscriptDelta(e.delta);
    } else if (e.type === 'response.done') {
      if (e.response.id !== this.cancelled) this.onResponseDone();
    } else if (e.type === 'input_audio_buffer.speech_started') {
      this.onBargeIn();
    }
  }

  /** A sentence is sent the moment it ends, while the model is still writing the next. */
  private onTranscriptDelta(delta: string): void {
    this.responseDone = false;
    if (this.activity === 'ready') this.set('thinking');
    this.queue.pushDelta(delta);
  }

  /** The end of the response flushes what is left. */
  private onResponseDone(): void {
    this.queue.endResponse();
    this.responseDone = true;
    this.scheduleIdle();
  }

  /**
   * The visitor speaks, presses to talk or types: interrupt at once and drop the queue. Sent even when the avatar
   * looks idle, since its speech can outlast the estimate; an interrupt with nothing to stop costs one message.
   */
  onBargeIn(): void {
    this.cancelled = this.response;
    this.queue.interrupt();
    this.responseDone = true;
    this.speakingUntil = 0;
    clearTimeout(this.idleTimer);
    this.set('ready');
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.queue.dispose();
  }

  private onSent(sentence: SentenceSent): void {
    this.speakingUntil = Math.max(this.speakingUntil, performance.now()) + sentence.text.length * MS_PER_CHAR;
    this.set('speaking');
    this.scheduleIdle();
  }

  /** Back to ready once the response is complete, sent, and (by estimate) spoken. */
  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.responseDone) return;
    const wait = this.speakingUntil - performance.now();
    if (wait <= 0 && !this.queue.stats.queued) return this.set('ready');
    this.idleTimer = setTimeout(() => this.scheduleIdle(), Math.max(wait, 50));
  }

  private set(activity: Activity): void {
    if (activity === this.activity) return;
    this.activity = activity;
    this.onActivity(activity);
  }
}
