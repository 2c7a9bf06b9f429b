import { chunkByCost, jsonStringCost } from './chunker.ts';
import { SentenceSplitter } from './sentences.ts';

/** Agora's hard limit: the SDK throws "stream message out of range." above it. */
export const MAX_STREAM_MESSAGE_BYTES = 1024;
/** Akool's official demo: encoded messages of at most 960 bytes, paced at 960 x 6 = 5,760 bytes a second. */
export const AKOOL_MESSAGE_BYTES = 960;
export const AKOOL_BYTES_PER_SECOND = AKOOL_MESSAGE_BYTES * 6;

export interface AkoolChatMessage {
  v: 2;
  type: 'chat';
  mid: string;
  idx: number;
  fin: boolean;
  pld: { text: string };
}

export interface AkoolCommandMessage {
  v: 2;
  type: 'command';
  mid: string;
  pld: { cmd: 'interrupt' };
}

/** Opaque: browsers return a number, other runtimes an object; the queue only hands it back to `cancel`. */
type TimerHandle = unknown;

/** One sentence's journey, for latency measurements. Times come from the queue's `now`. */
export interface SentenceSent {
  mid: string;
  text: string;
  chunks: number;
  bytes: number;
  enqueuedAt: number;
  /** When its first chunk reached `send`: the avatar can start speaking from here. */
  sentAt: number;
  /** When its last chunk (`fin: true`) reached `send`. */
  completedAt: number;
}

export interface AvatarMessageQueueStats {
  /** Stream messages handed to `send`, chat chunks and commands alike. */
  messagesSent: number;
  bytesSent: number;
  /** Chat messages waiting for budget. */
  queued: number;
}

export interface AvatarMessageQueueOptions {
  send: (bytes: Uint8Array) => void | Promise<void>;
  bytesPerSecond?: number;
  /**
   * Agora allows 30 stream messages a second; many short sentences would hit this before the byte limit. Chat
   * takes at most 25, so an interrupt (sent ahead of any pacing) always fits beside a full second of chat.
   */
  messagesPerSecond?: number;
  /**
   * Budget for one encoded message, JSON envelope included, as in Akool's demo (960, leaving room under Agora's
   * 1024). The text of a chunk gets what the envelope leaves: about 850 bytes with a UUID message id.
   */
  maxChunkBytes?: number;
  now?: () => number;
  schedule?: (fn: () => void, ms: number) => TimerHandle;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- accepts whatever `schedule` returned
  cancel?: (handle: any) => void;
  newId?: () => string;
  onSent?: (sentence: SentenceSent) => void;
  /** A send that throws or rejects; the queue carries on with the next message. */
  onError?: (error: unknown) => void;
}

const WINDOW_MS = 1000;

/**
 * Sliding one-second window over what was sent. A message goes out when it fits beside everything sent in the
 * last second, so no window [t, t + 1 s) ever holds more than the budget, while a message after a quiet second
 * leaves at once. A token bucket would allow its capacity plus a second's refill inside one window.
 */
export class SlidingWindow {
  private readonly log: { at: number; bytes: number }[] = [];
  private bytesInWindow = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxMessages: number,
  ) {}

  /** Milliseconds until a message of `bytes` fits; 0 when it fits now. */
  waitFor(bytes: number, now: number): number {
    this.expire(now);
    let bytesLeft = this.bytesInWindow;
    let messagesLeft = this.log.length;
    if (bytesLeft + bytes <= this.maxBytes && messagesLeft < this.maxMessages) return 0;
    for (const entry of this.log) {
      bytesLeft -= entry.bytes;
      messagesLeft--;
      if (bytesLeft + bytes <= this.maxBytes && messagesLeft < this.maxMessages) return entry.at + WINDOW_MS - now;
    }
    return WINDOW_MS; // only if one message is bigger than the whole budget, which the queue refuses up front
  }

  record(bytes: number, now: number): void {
    this.log.push({ at: now, bytes });
    this.bytesInWindow += bytes;
  }

  private expire(now: number): void {
    for (let first = this.log[0]; first && first.at <= now - WINDOW_MS; first = this.log[0]) {
      this.bytesInWindow -= first.bytes;
      this.log.shift();
    }
  }
}

interface QueuedSentence {
  mid: string;
  text: string;
  messages: Uint8Array[];
  next: number;
  bytes: number;
  enqueuedAt: number;
  sentAt: number;
}

function defaultId(): string {
  // randomUUID exists only in secure contexts; getRandomValues exists everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Turns the assistant's transcript deltas into Akool chat messages: one message id per sentence, chunked under the
 * size limit, paced under the rate limit. A sentence is queued the moment it is complete, so the avatar starts
 * speaking while the model is still writing.
 */
export class AvatarMessageQueue {
  private readonly sendBytes: (bytes: Uint8Array) => void | Promise<void>;
  private readonly maxChunkBytes: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => TimerHandle;
  private readonly cancel: (handle: TimerHandle) => void;
  private readonly newId: () => string;
  private readonly onSent: ((sentence: SentenceSent) => void) | undefined;
  private readonly onError: (error: unknown) => void;
  private readonly window: SlidingWindow;
  private readonly splitter = new SentenceSplitter();
  private readonly encoder = new TextEncoder();
  private readonly sentences: QueuedSentence[] = [];
  private timer: TimerHandle | undefined;
  private pumping = false;
  private disposed = false;
  /** Bumped by interrupt and dispose, so sentences split before one of them are not queued after it. */
  private generation = 0;
  private messagesSent = 0;
  private bytesSent = 0;

  constructor(options: AvatarMessageQueueOptions) {
    // Agora allows about 6 KB a second per user; Akool's demo stays at 5,760, which leaves room for commands.
    const bytesPerSecond = options.bytesPerSecond ?? AKOOL_BYTES_PER_SECOND;
    const messagesPerSecond = options.messagesPerSecond ?? 25;
    this.maxChunkBytes = options.maxChunkBytes ?? AKOOL_MESSAGE_BYTES;
    // The floor leaves a UUID-sized envelope (about 110 bytes) plenty of room for text.
    if (!(this.maxChunkBytes >= 256 && this.maxChunkBytes <= MAX_STREAM_MESSAGE_BYTES)) {
      throw new RangeError(`maxChunkBytes must be 256..${MAX_STREAM_MESSAGE_BYTES}, got ${this.maxChunkBytes}`);
    }
    if (!(bytesPerSecond >= this.maxChunkBytes) || !(messagesPerSecond >= 1)) {
      throw new RangeError('the rate limit must let at least one full chunk through each second');
    }
    this.sendBytes = options.send;
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.cancel = options.cancel ?? ((handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]));
    this.newId = options.newId ?? defaultId;
    this.onSent = options.onSent;
    this.onError = options.onError ?? ((error) => console.warn('avatar: stream message failed', error));
    this.window = new SlidingWindow(bytesPerSecond, messagesPerSecond);
  }

  get stats(): AvatarMessageQueueStats {
    let queued = 0;
    for (const s of this.sentences) queued += s.messages.length - s.next;
    return { messagesSent: this.messagesSent, bytesSent: this.bytesSent, queued };
  }

  /** Feeds a transcript delta; every sentence it completes is queued (and usually sent) before this returns. */
  pushDelta(delta: string): void {
    if (this.disposed) return;
    const generation = this.generation;
    for (const sentence of this.splitter.push(delta)) {
      if (generation !== this.generation) return; // `send` interrupted while the earlier ones went out
      this.enqueue(sentence);
    }
  }

  /** The response is complete: whatever is left is the last sentence. */
  endResponse(): void {
    if (this.disposed) return;
    const rest = this.splitter.flush();
    if (rest !== null) this.enqueue(rest);
  }

  /** Barge-in: drops everything unsent and tells the avatar to stop, ahead of any pacing. */
  interrupt(): void {
    if (this.disposed) return;
    this.clear();
    const command: AkoolCommandMessage = { v: 2, type: 'command', mid: this.newId(), pld: { cmd: 'interrupt' } };
    // Recorded in the window like any message, so what follows still respects the budget.
    this.transmit(this.encoder.encode(JSON.stringify(command)));
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private clear(): void {
    this.generation++;
    if (this.timer !== undefined) this.cancel(this.timer);
    this.timer = undefined;
    this.sentences.length = 0;
    this.splitter.reset();
  }

  private enqueue(text: string): void {
    const mid = this.newId();
    const messages = this.encodeSentence(mid, text);
    let bytes = 0;
    for (const m of messages) bytes += m.byteLength;
    this.sentences.push({ mid, text, messages, next: 0, bytes, enqueuedAt: this.now(), sentAt: 0 });
    this.pump();
  }

  private encodeSentence(mid: string, text: string): Uint8Array[] {
    const encode = (idx: number, fin: boolean, chunk: string): Uint8Array => {
      const message: AkoolChatMessage = { v: 2, type: 'chat', mid, idx, fin, pld: { text: chunk } };
      return this.encoder.encode(JSON.stringify(message));
    };
    // Sized for a six-digit index, which no sentence reaches; the check below catches it if one ever does.
    const envelope = encode(999_999, false, '').byteLength;
    const budget = this.maxChunkBytes - envelope;
    if (budget < 6) throw new RangeError(`message id ${JSON.stringify(mid)} leaves no room for text`);
    const chunks = chunkByCost(text, budget, jsonStringCost);
    return chunks.map((chunk, idx) => {
      const bytes = encode(idx, idx === chunks.length - 1, chunk);
      if (bytes.byteLength > this.maxChunkBytes) {
        throw new Error(`avatar: chat message of ${bytes.byteLength} bytes exceeds ${this.maxChunkBytes}`);
      }
      return bytes;
    });
  }

  private pump(): void {
    // A pending timer means the head is waiting for budget, and everything behind it waits in line.
    if (this.pumping || this.timer !== undefined) return;
    this.pumping = true;
    try {
      for (let head = this.sentences[0]; head; head = this.sentences[0]) {
        const message = head.messages[head.next];
        if (!message) {
          this.sentences.shift(); // unreachable: finished sentences leave below; kept so a bug cannot spin
          continue;
        }
        const wait = this.window.waitFor(message.byteLength, this.now());
        if (wait > 0) {
          this.timer = this.schedule(() => {
            this.timer = undefined;
            this.pump();
          }, Math.ceil(wait));
          return;
        }
        const at = this.transmit(message);
        // `send` may have interrupted or disposed us; the head then no longer belongs to the queue.
        if (this.sentences[0] !== head) continue;
        if (head.next === 0) head.sentAt = at;
        head.next++;
        if (head.next === head.messages.length) {
          this.sentences.shift();
          this.onSent?.({
            mid: head.mid,
            text: head.text,
            chunks: head.messages.length,
            bytes: head.bytes,
            enqueuedAt: head.enqueuedAt,
            sentAt: head.sentAt,
            completedAt: at,
          });
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Hands bytes to `send` and accounts for them; returns the send time. */
  private transmit(bytes: Uint8Array): number {
    const at = this.now();
    this.window.record(bytes.byteLength, at);
    this.messagesSent++;
    this.bytesSent += bytes.byteLength;
    try {
      const result = this.sendBytes(bytes);
      if (result) result.catch(this.onError);
    } catch (error) {
      this.onError(error);
    }
    return at;
  }
}
