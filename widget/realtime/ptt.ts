import type { RealtimeSession } from './session.ts';

/** A press shorter than this sends nothing: an empty or near-empty commit is an error at the API. */
export const MIN_PRESS_MS = 150;

export interface CaptureSwitch {
  resume(): void;
  /** Resolves once every chunk captured before the pause has been delivered. */
  pause(): Promise<void> | void;
}

/**
 * Push-to-talk turns. Press: interrupt any reply and clear the input buffer, then capture. Release: commit and ask
 * for a response, unless the press was too short to hold speech (then the buffer is cleared again).
 */
export class PushToTalk {
  private pressedAt: number | null = null;

  constructor(
    private readonly session: RealtimeSession,
    private readonly capture: CaptureSwitch,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get pressed(): boolean {
    return this.pressedAt !== null;
  }

  press(): void {
    if (this.pressedAt !== null) return;
    this.pressedAt = this.now();
    this.session.interrupt('press');
    this.session.send({ type: 'input_audio_buffer.clear' });
    this.capture.resume();
  }

  /** Resolves with whether a turn was sent. The last audio chunk goes out before the commit. */
  async release(): Promise<boolean> {
    if (this.pressedAt === null) return false;
    const held = this.now() - this.pressedAt;
    this.pressedAt = null;
    await this.capture.pause();
    if (held < MIN_PRESS_MS) {
      this.session.send({ type: 'input_audio_buffer.clear' });
      return false;
    }
    this.session.send({ type: 'input_audio_buffer.commit' });
    this.session.requestResponse({ user: true });
    return true;
  }

  /** A press that ends without a release (focus lost, pointer cancelled) sends nothing. */
  async cancel(): Promise<void> {
    if (this.pressedAt === null) return;
    this.pressedAt = null;
    await this.capture.pause();
    this.session.send({ type: 'input_audio_buffer.clear' });
  }
}
