// What the polite live region says, queued so nothing a screen reader is reading gets overwritten. Pure apart from the
// timer it is given, so it is tested with a fake clock.

export type AnnouncementKind = 'status' | 'message';

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * How long a text stays before the next may replace it: about the time a screen reader takes to speak it
 * (~15 characters a second), at least 1 s for a status word and 1.5 s for a message, at most 10 s.
 */
export const holdMs = (text: string, kind: AnnouncementKind): number =>
  Math.min(10_000, Math.max(kind === 'status' ? 1000 : 1500, Math.round(text.length * 65)));

/**
 * Rules: a text is shown at once when the region is free, else queued; messages (replies, new concepts) are never
 * dropped and keep their order; a status waiting in the queue is replaced by a newer one, and a status that is
 * already stale when its turn comes ("Listening" after "Thinking") is not read at all. Saying the same text twice
 * alternates a zero-width space so the region changes and is read again.
 */
export class AnnouncementQueue {
  private queue: Array<{ text: string; kind: AnnouncementKind }> = [];
  private timer: unknown = null;
  private current = '';

  constructor(
    private readonly show: (text: string) => void,
    private readonly timers: Timers = browserTimers,
  ) {}

  push(text: string, kind: AnnouncementKind = 'status'): void {
    if (!text) return;
    if (kind === 'status') this.queue = this.queue.filter((a) => a.kind !== 'status');
    this.queue.push({ text, kind });
    if (this.timer === null) this.next();
  }

  /** Drops everything (the element went away). */
  clear(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.queue = [];
  }

  private next(): void {
    this.timer = null;
    const item = this.queue.shift();
    if (!item) return;
    const text = item.text === this.current ? `${item.text}\u200b` : item.text;
    this.current = text;
    this.show(text);
    this.timer = this.timers.set(() => this.next(), holdMs(item.text, item.kind));
  }
}
