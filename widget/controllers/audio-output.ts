/**
 * Plays the model's remote audio stream. When the browser blocks autoplay, `onBlocked(true)` asks the UI to show a
 * "tap to turn on sound" action, and `unlock()` (called from that tap) starts playback.
 */
export class AudioOutput {
  private audio: HTMLAudioElement | null = null;
  private muted = false;

  constructor(private readonly onBlocked: (blocked: boolean) => void) {}

  play(stream: MediaStream): void {
    this.stop();
    const audio = (this.audio = new Audio());
    audio.autoplay = true;
    audio.muted = this.muted;
    audio.srcObject = stream;
    audio.play().then(
      () => this.onBlocked(false),
      (err: DOMException) => {
        if (err?.name === 'NotAllowedError') this.onBlocked(true);
      },
    );
  }

  async unlock(): Promise<void> {
    if (!this.audio) return;
    try {
      await this.audio.play();
      this.onBlocked(false);
    } catch {
      this.onBlocked(true);
    }
  }

  /** Silences the model's voice while the avatar speaks for it; the setting carries over to the next stream. */
  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.audio) this.audio.muted = muted;
  }

  get element(): HTMLAudioElement | null {
    return this.audio;
  }

  stop(): void {
    if (!this.audio) return;
    this.audio.pause();
    this.audio.srcObject = null;
    this.audio = null;
    this.onBlocked(false);
  }
}
