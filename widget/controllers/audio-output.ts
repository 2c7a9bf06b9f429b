/**
 * Plays the model's remote audio stream. When the browser blocks autoplay, `onBlocked(true)` asks the UI to show a
 * "tap to turn on sound" action, and `unlock()` (called from that tap) starts playback.
 */
export class AudioOutput {
  private audio: HTMLAudioElement | null = null;

  constructor(private readonly onBlocked: (blocked: boolean) => void) {}

  play(stream: MediaStream): void {
    this.stop();
    const audio = (this.audio = new Audio());
    audio.autoplay = true;
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
