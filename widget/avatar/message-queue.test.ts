import { expect } from '@open-wc/testing';
import {
  AvatarMessageQueue,
  MAX_STREAM_MESSAGE_BYTES,
  type AkoolChatMessage,
  type AvatarMessageQueueOptions,
  type SentenceSent,
} from './message-queue.ts';

/** A clock and scheduler the test drives: time moves only when told, and timers fire in order. */
class FakeClock {
  time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  readonly now = (): number => this.time;
  readonly schedule = (fn: () => void, ms: number): number => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  readonly cancel = (id: number): void => {
    this.timers.delete(id);
  };

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number; fn: () => void } | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!next || timer.at < next.at)) [nextId, next] = [id, timer];
      }
      if (nextId === undefined || !next) break;
      this.timers.delete(nextId);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** Runs timers until none is left; fails rather than spin forever. */
  drain(limitMs = 600_000): void {
    const start = this.time;
    while (this.pending > 0) {
      expect(this.time - start, 'queue never drained').to.be.below(limitMs);
      this.advance(10);
    }
  }
}

interface Sent {
  at: number;
  bytes: number;
  json: Record<string, unknown>;
  raw: string;
}

const decoder = new TextDecoder();

function setup(options: Partial<AvatarMessageQueueOptions> = {}) {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const sentences: SentenceSent[] = [];
  let id = 0;
  const queue = new AvatarMessageQueue({
    send: (bytes) => {
      const raw = decoder.decode(bytes);
      sent.push({ at: clock.time, bytes: bytes.byteLength, json: JSON.parse(raw) as Record<string, unknown>, raw });
    },
    now: clock.now,
    schedule: clock.schedule,
    cancel: clock.cancel,
    newId: () => `m${++id}`,
    onSent: (s) => sentences.push(s),
    ...options,
  });
  return { clock, queue, sent, sentences };
}

/** The most bytes and messages any window [t, t + 1 s) holds; the worst window starts at a send. */
function busiestWindow(sent: readonly Sent[]): { bytes: number; messages: number } {
  let bytes = 0;
  let messages = 0;
  for (const start of sent) {
    const inside = sent.filter((s) => s.at >= start.at && s.at < start.at + 1000);
    bytes = Math.max(
      bytes,
      inside.reduce((sum, s) => sum + s.bytes, 0),
    );
    messages = Math.max(messages, inside.length);
  }
  return { bytes, messages };
}

/** Reassembles chat messages per message id, in the order the ids first appeared, checking idx and fin. */
function reassemble(sent: readonly Sent[]): string[] {
  const texts = new Map<string, string>();
  const nextIdx = new Map<string, number>();
  for (const { json } of sent) {
    const m = json as unknown as AkoolChatMessage;
    if (m.type !== 'chat') continue;
    expect(m.idx, m.mid).to.equal(nextIdx.get(m.mid) ?? 0);
    nextIdx.set(m.mid, m.fin ? Infinity : m.idx + 1);
    texts.set(m.mid, (texts.get(m.mid) ?? '') + m.pld.text);
  }
  expect(
    [...nextIdx.values()].every((n) => n === Infinity),
    'every message id ends with fin',
  ).to.equal(true);
  return [...texts.values()];
}

function sentenceOf(i: number, words: number): string {
  return `Sentence ${i} says ${'lorem ipsum dolor sit amet '.repeat(words)}and ends here.`;
}

describe('AvatarMessageQueue', () => {
  it('sends a sentence as one chat message of exactly the Akool v2 shape', () => {
    const { queue, sent } = setup();
    queue.pushDelta('Hello there. ');
    expect(sent.map((s) => s.raw)).to.deep.equal([
      '{"v":2,"type":"chat","mid":"m1","idx":0,"fin":true,"pld":{"text":"Hello there."}}',
    ]);
  });

  it('sends the first sentence after idle at once, in the same call', () => {
    const { clock, queue, sent, sentences } = setup();
    clock.advance(5000);
    queue.pushDelta('Hi');
    queue.pushDelta('! How');
    expect(sent).to.have.length(1);
    expect(sentences[0]).to.include({ enqueuedAt: 5000, sentAt: 5000, completedAt: 5000, text: 'Hi!', chunks: 1 });
  });

  it('queues each completed sentence at once, with no fixed wait between them', () => {
    const { queue, sent, clock } = setup();
    queue.pushDelta('One. Two! Three? Fo');
    expect(sent.map((s) => (s.json as unknown as AkoolChatMessage).pld.text)).to.deep.equal(['One.', 'Two!', 'Three?']);
    expect(new Set(sent.map((s) => (s.json as unknown as AkoolChatMessage).mid)).size).to.equal(3);
    expect(clock.pending).to.equal(0);
  });

  it('flushes the rest on endResponse', () => {
    const { queue, sent } = setup();
    queue.pushDelta('No punctuation yet');
    expect(sent).to.have.length(0);
    queue.endResponse();
    expect(sent).to.have.length(1);
    expect((sent[0]?.json as unknown as AkoolChatMessage).pld.text).to.equal('No punctuation yet');
    queue.endResponse();
    expect(sent).to.have.length(1);
  });

  it('chunks a long sentence under one message id, every message within 960 bytes (Akool’s demo)', () => {
    const { queue, sent } = setup({ newId: () => crypto.randomUUID() });
    const sentence = `He said "${'quote\\ and\tmore "words" 東京 😀 '.repeat(120)}" and stopped.`;
    queue.pushDelta(sentence);
    queue.endResponse();
    const messages = sent.map((s) => s.json as unknown as AkoolChatMessage);
    expect(messages.length).to.be.greaterThan(5);
    for (const [i, s] of sent.entries()) {
      expect(s.bytes).to.be.at.most(960).and.at.most(MAX_STREAM_MESSAGE_BYTES);
      expect(Object.keys(s.json)).to.deep.equal(['v', 'type', 'mid', 'idx', 'fin', 'pld']);
      expect(messages[i]).to.include({ v: 2, type: 'chat', mid: messages[0]?.mid, idx: i, fin: i === sent.length - 1 });
    }
    expect(messages.map((m) => m.pld.text).join('')).to.equal(sentence);
    // With the budget used well, only the last chunk is much smaller than the limit.
    expect(sent.slice(0, -1).every((s) => s.bytes > 900)).to.equal(true);
  });

  it('paces 20 KB of text so that no one-second window exceeds 5,760 bytes (960 x 6, Akool’s demo)', () => {
    const { clock, queue, sent, sentences } = setup({ messagesPerSecond: 1000 });
    const texts: string[] = [];
    for (let i = 0, total = 0; total < 20_480; i++) {
      texts.push(sentenceOf(i, 3 + ((i * 7) % 40)));
      total += new TextEncoder().encode(texts[i] ?? '').byteLength + 1;
    }
    const transcript = texts.join(' ');
    for (let i = 0; i < transcript.length; i += 7) queue.pushDelta(transcript.slice(i, i + 7));
    queue.endResponse();
    expect(sent.length).to.be.greaterThan(0);
    expect(queue.stats.queued).to.be.greaterThan(0);
    clock.drain();

    const totalBytes = sent.reduce((sum, s) => sum + s.bytes, 0);
    const duration = (sent.at(-1)?.at ?? 0) - (sent[0]?.at ?? 0);
    expect(busiestWindow(sent).bytes).to.be.at.most(5760);
    expect(duration).to.be.at.least(3000);
    expect(duration).to.be.at.least((Math.ceil(totalBytes / 5760) - 1) * 1000);
    // Not over-cautious either: each second carries at least the budget less one message.
    expect(duration).to.be.at.most(Math.ceil(totalBytes / (5760 - 960)) * 1000);
    expect(reassemble(sent)).to.deep.equal(texts);
    expect(sentences.map((s) => s.text)).to.deep.equal(texts);
    expect(queue.stats).to.deep.equal({ messagesSent: sent.length, bytesSent: totalBytes, queued: 0 });
  });

  it('waits exactly until the window has room, not longer', () => {
    const { clock, queue, sent, sentences } = setup();
    for (let i = 0; i < 10; i++) queue.pushDelta(`${sentenceOf(i, 30)} `); // about 900 bytes each
    const first = sent.length;
    const firstBytes = sent.reduce((sum, s) => sum + s.bytes, 0);
    expect(firstBytes).to.be.at.most(5760);
    expect(queue.stats.queued).to.be.greaterThan(0);
    clock.advance(999);
    expect(sent).to.have.length(first);
    clock.advance(1);
    expect(sent.length).to.be.greaterThan(first);
    expect(sent[first]?.at).to.equal(1000);
    clock.drain();
    const late = sentences.find((s) => s.sentAt > s.enqueuedAt);
    expect(late?.sentAt).to.equal(1000);
  });

  it('holds a sentence that arrives at an idle queue until the last second has room for it', () => {
    const { clock, queue, sent } = setup();
    for (let i = 0; i < 6; i++) queue.pushDelta(`${sentenceOf(i, 30)} `);
    expect(sent).to.have.length(6); // about 5.5 KB, all at t = 0
    expect(clock.pending).to.equal(0);
    clock.advance(980);
    queue.pushDelta(`${sentenceOf(6, 30)} `);
    expect(sent).to.have.length(6);
    clock.advance(19);
    expect(sent).to.have.length(6);
    clock.advance(1);
    expect(sent).to.have.length(7);
    expect(sent[6]?.at).to.equal(1000);
  });

  it('keeps every window within limits when sentences of any size arrive at any time', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const { clock, queue, sent } = setup();
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      clock.advance(Math.floor(random() * 250));
      const text = random() < 0.3 ? `Ok ${i}.` : sentenceOf(i, Math.floor(random() * 60));
      texts.push(text);
      queue.pushDelta(`${text} `);
    }
    clock.drain();
    const busiest = busiestWindow(sent);
    expect(busiest.bytes).to.be.at.most(5760).and.above(4800);
    expect(busiest.messages).to.be.at.most(25);
    expect(reassemble(sent)).to.deep.equal(texts);
  });

  it('sends at most 25 chat messages in any second, so an interrupt still fits under Agora’s 30', () => {
    const { clock, queue, sent } = setup();
    for (let i = 0; i < 100; i++) queue.pushDelta(`Yes ${i}. `);
    expect(sent).to.have.length(25);
    queue.interrupt();
    expect(sent).to.have.length(26);
    expect(busiestWindow(sent).messages).to.be.at.most(30);
    for (let i = 0; i < 100; i++) queue.pushDelta(`No ${i}. `);
    clock.drain();
    expect(busiestWindow(sent.slice(26)).messages).to.equal(25);
  });

  it('keeps sentences in order when later ones arrive while earlier ones wait', () => {
    const { clock, queue, sent } = setup();
    const texts = Array.from({ length: 12 }, (_, i) => sentenceOf(i, 20));
    for (const t of texts.slice(0, 8)) queue.pushDelta(`${t} `);
    clock.advance(400);
    for (const t of texts.slice(8)) queue.pushDelta(`${t} `);
    clock.drain();
    expect(reassemble(sent)).to.deep.equal(texts);
  });

  it('interrupt empties the queue, cancels the timer and sends the command at once', () => {
    const { clock, queue, sent } = setup();
    for (let i = 0; i < 20; i++) queue.pushDelta(`${sentenceOf(i, 20)} `);
    queue.pushDelta('Half a sent');
    expect(queue.stats.queued).to.be.greaterThan(0);
    expect(clock.pending).to.equal(1);
    const before = sent.length;

    queue.interrupt();
    expect(sent).to.have.length(before + 1); // despite a full window
    expect(sent.at(-1)?.raw).to.equal(`{"v":2,"type":"command","mid":"m${20 + 1}","pld":{"cmd":"interrupt"}}`);
    expect(queue.stats.queued).to.equal(0);
    expect(clock.pending).to.equal(0);
    clock.advance(5000);
    expect(sent).to.have.length(before + 1);

    queue.endResponse(); // the half sentence was dropped with the rest
    expect(sent).to.have.length(before + 1);
    queue.pushDelta('New answer. ');
    expect((sent.at(-1)?.json as unknown as AkoolChatMessage).pld.text).to.equal('New answer.');
  });

  it('counts the interrupt command in the window for what follows', () => {
    const { clock, queue, sent } = setup({ bytesPerSecond: 1000, maxChunkBytes: 950 });
    queue.interrupt();
    queue.pushDelta(`${'a'.repeat(872)}b. `); // a 942-byte message: fits the budget, not beside the command
    expect(sent).to.have.length(1);
    clock.drain();
    expect(sent).to.have.length(2);
    expect((sent[0]?.bytes ?? 0) + (sent[1]?.bytes ?? 0)).to.be.above(1000);
    expect(sent[1]?.at).to.equal(1000);
  });

  it('stops sending after dispose', () => {
    const { clock, queue, sent } = setup();
    for (let i = 0; i < 20; i++) queue.pushDelta(`${sentenceOf(i, 20)} `);
    const before = sent.length;
    queue.dispose();
    expect(clock.pending).to.equal(0);
    queue.pushDelta('More. ');
    queue.endResponse();
    queue.interrupt();
    clock.advance(10_000);
    expect(sent).to.have.length(before);
  });

  it('reports a failing send and goes on with the next message', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const queue = new AvatarMessageQueue({
      send: () => {
        calls++;
        if (calls === 1) throw new Error('not joined');
        if (calls === 2) return Promise.reject(new Error('out of range'));
        return Promise.resolve();
      },
      onError: (e) => errors.push(e),
    });
    queue.pushDelta('One. Two. Three. ');
    expect(calls).to.equal(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['not joined', 'out of range']);
    queue.dispose();
  });

  it('survives a send that interrupts from inside', () => {
    const texts: string[] = [];
    const queue: AvatarMessageQueue = new AvatarMessageQueue({
      send: (bytes) => {
        const m = JSON.parse(decoder.decode(bytes)) as AkoolChatMessage;
        texts.push(m.type === 'chat' ? m.pld.text : 'INTERRUPT');
        if (m.pld.text === 'Stop.') queue.interrupt();
      },
    });
    queue.pushDelta('Go. Stop. Never sent. ');
    expect(texts).to.deep.equal(['Go.', 'Stop.', 'INTERRUPT']);
    queue.dispose();
  });

  it('with the real clock, a sentence reaches send within a few ms of its end', () => {
    const times: number[] = [];
    const queue = new AvatarMessageQueue({ send: () => void times.push(performance.now()) });
    const end = performance.now();
    queue.pushDelta('Real time works. ');
    expect(times).to.have.length(1);
    expect((times[0] ?? Infinity) - end).to.be.below(5);
    queue.dispose();
  });

  it('refuses limits Agora or Akool cannot meet', () => {
    const send = (): void => {};
    expect(() => new AvatarMessageQueue({ send, maxChunkBytes: 1025 })).to.throw(RangeError);
    expect(() => new AvatarMessageQueue({ send, maxChunkBytes: 100 })).to.throw(RangeError);
    expect(() => new AvatarMessageQueue({ send, bytesPerSecond: 500 })).to.throw(RangeError);
    expect(() => new AvatarMessageQueue({ send, messagesPerSecond: 0 })).to.throw(RangeError);
    expect(() => new AvatarMessageQueue({ send, maxChunkBytes: 1024, bytesPerSecond: 1024 })).not.to.throw();
  });
});
