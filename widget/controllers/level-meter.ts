/**
 * Measures the input level of a stream with an AnalyserNode. Sampling runs on animation frames only while the
 * page is visible and the element is on screen; `stop()` closes the AudioContext it made.
 */
export class LevelMeter {
  private ctx: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private frame = 0;
  private visible = true;
  private onScreen = true;
  private observer: IntersectionObserver | null = null;
  private readonly onVisibility = () => {
    this.visible = document.visibilityState === 'visible';
    this.schedule();
  };

  constructor(
    private readonly target: Element,
    private readonly onLevel: (level: number) => void,
  ) {}

  start(stream: MediaStream): void {
    this.stop();
    const ctx = (this.ctx = new AudioContext());
    this.source = ctx.createMediaStreamSource(stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 512;
    this.source.connect(this.analyser);
    this.visible = document.visibilityState === 'visible';
    document.addEventListener('visibilitychange', this.onVisibility);
    this.observer = new IntersectionObserver((entries) => {
      this.onScreen = entries.some((e) => e.isIntersecting);
      this.schedule();
    });
    this.observer.observe(this.target);
    this.schedule();
  }

  private schedule() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.analyser && this.visible && this.onScreen) this.frame = requestAnimationFrame(this.sample);
  }

  private readonly buffer = new Float32Array(512);
  private readonly sample = () => {
    const analyser = this.analyser;
    if (!analyser) return;
    analyser.getFloatTimeDomainData(this.buffer);
    let sum = 0;
    for (const v of this.buffer) sum += v * v;
    const rms = Math.sqrt(sum / this.buffer.length);
    // Speech RMS sits around 0.01-0.3; a square root spreads it over the meter.
    this.onLevel(Math.min(1, Math.sqrt(rms * 4)));
    this.frame = requestAnimationFrame(this.sample);
  };

  get running(): boolean {
    return this.frame !== 0;
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.observer?.disconnect();
    this.observer = null;
    this.source?.disconnect();
    this.source = null;
    this.analyser = null;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.onLevel(0);
  }
}
