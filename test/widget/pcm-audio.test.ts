import { expect, waitUntil } from '@open-wc/testing';
import { AudioEngine, workletUrl } from '../../widget/controllers/audio-worklet-url.ts';
import { PcmCapture } from '../../widget/controllers/pcm-capture.ts';
import { PcmPlayer } from '../../widget/controllers/pcm-player.ts';

// The worklet is fetched from its own URL, as on a page with a strict CSP.
const URL_ = new URL('/widget/voice-buddy-audio.worklet.js', location.href).href;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function decode(b64: string): Int16Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Int16Array(bytes.buffer, 0, bytes.length >> 1);
}

function encode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A 24 kHz PCM16 sine, phase-continuous from sample `from`. */
function sineBytes(freq: number, from: number, frames: number, amp = 0.5): Uint8Array {
  const view = new DataView(new ArrayBuffer(frames * 2));
  for (let i = 0; i < frames; i++)
    view.setInt16(i * 2, Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * (from + i)) / 24000)), true);
  return new Uint8Array(view.buffer);
}

type Chunk = { at: number; samples: Int16Array; durationMs: number; bytes: number };

function collector() {
  const chunks: Chunk[] = [];
  const onChunk = (b64: string, durationMs: number) => {
    const samples = decode(b64);
    chunks.push({ at: performance.now(), samples, durationMs, bytes: atob(b64).length });
  };
  const joined = () => {
    const all = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
    let o = 0;
    for (const c of chunks) all.set(c.samples, (o += c.samples.length) - c.samples.length);
    return all;
  };
  return { chunks, onChunk, joined };
}

/** Frequency from rising zero crossings, over a whole number of periods. */
function frequency(x: Int16Array, rate = 24000): number {
  const rises: number[] = [];
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 && x[i]! >= 0) rises.push(i - x[i]! / (x[i]! - x[i - 1]!));
  return ((rises.length - 1) * rate) / (rises[rises.length - 1]! - rises[0]!);
}

const rms = (x: Int16Array) => Math.sqrt(x.reduce((s, v) => s + (v / 32768) ** 2, 0) / x.length);

/** Sine tones ([frequency, amplitude]) as a MediaStream from a context of the test's own (closed by stop). */
function tone(...parts: Array<[number, number]>) {
  const ctx = new AudioContext();
  const dest = ctx.createMediaStreamDestination();
  for (const [frequency, gain] of parts) {
    const osc = new OscillatorNode(ctx, { frequency });
    osc.connect(new GainNode(ctx, { gain })).connect(dest);
    osc.start();
  }
  return { stream: dest.stream, stop: () => ctx.close() };
}

/** Amplitude of one frequency (Goertzel over a Hann window). */
function level(x: Int16Array, freq: number, rate = 24000): number {
  const w = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < x.length; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (x.length - 1));
    windowSum += hann;
    const s0 = (x[i]! / 32768) * hann + w * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (2 * Math.sqrt(s1 * s1 + s2 * s2 - w * s1 * s2)) / windowSum;
}

/** Counts AudioContexts created while it is installed. */
function countContexts() {
  const Original = window.AudioContext;
  const made: AudioContext[] = [];
  window.AudioContext = class extends Original {
    constructor(options?: AudioContextOptions) {
      super(options);
      made.push(this);
    }
  };
  return {
    made,
    open: () => made.filter((c) => c.state !== 'closed').length,
    restore: () => (window.AudioContext = Original),
  };
}

/** Records a node's output sample for sample with a recorder worklet of the test's own (a ScriptProcessor drops
 * blocks when the main thread is busy, and a MediaStream loopback adds glitches of its own). */
async function record(ctx: AudioContext, node: AudioNode) {
  const source = `registerProcessor('test-recorder', class extends AudioWorkletProcessor {
    process(inputs) { if (inputs[0][0]) this.port.postMessage(inputs[0][0].slice()); return true; }
  });`;
  if (!recorders.has(ctx))
    await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  recorders.add(ctx);
  const tap = new AudioWorkletNode(ctx, 'test-recorder', { numberOfOutputs: 0 });
  const blocks: Float32Array[] = [];
  tap.port.onmessage = (e: MessageEvent<Float32Array>) => blocks.push(e.data);
  node.connect(tap);
  return {
    stop(): Float32Array {
      node.disconnect(tap);
      const x = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
      blocks.reduce((o, b) => (x.set(b, o), o + b.length), 0);
      return x;
    },
  };
}
const recorders = new WeakSet<AudioContext>();

/** The sound between the first and last non-silent samples: length, pitch, biggest step, longest near-silent run. */
function analyse(x: Float32Array, rate: number) {
  const first = x.findIndex((v) => Math.abs(v) > 0.01);
  let last = x.length - 1;
  while (last > 0 && Math.abs(x[last]!) <= 0.01) last--;
  expect(first, 'no sound at all').to.be.above(-1);
  const body = Int16Array.from(x.subarray(first + 10, last - 10), (v) => Math.round(v * 32767));
  let jump = 0;
  let run = 0;
  let flat = 0;
  for (let i = 1; i < body.length; i++) {
    jump = Math.max(jump, Math.abs(body[i]! - body[i - 1]!) / 32768);
    run = Math.abs(body[i]!) < 300 ? run + 1 : 0;
    flat = Math.max(flat, run);
  }
  return {
    seconds: (last - first) / rate,
    frequency: frequency(body, rate),
    jump,
    flat,
    /** The largest sample-to-sample step of an unbroken sine, with 10% to spare. */
    maxStep: (freq: number, amp: number) => ((2 * Math.PI * freq) / rate) * amp * 1.1,
  };
}

describe('audio worklet URL', () => {
  it('sits next to the widget script', () => {
    expect(workletUrl('https://cdn.example/vb/1.2/voice-buddy.js?v=3')).to.equal(
      'https://cdn.example/vb/1.2/voice-buddy-audio.worklet.js',
    );
  });
});

describe('PcmCapture', () => {
  let mic: MediaStream;
  before(async () => {
    mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  });
  after(() => mic.getTracks().forEach((t) => t.stop()));

  it('emits 40 ms chunks of 1920 bytes in real time from the fake microphone, which beeps', async () => {
    const c = collector();
    const capture = new PcmCapture({ workletUrl: URL_, onChunk: c.onChunk });
    await capture.start(mic);
    const t0 = performance.now();
    await sleep(2500);
    const elapsed = performance.now() - t0;
    capture.stop();
    expect(c.chunks.length).to.be.within(elapsed / 40 - 8, elapsed / 40 + 3);
    for (const ch of c.chunks) {
      expect(ch.bytes).to.equal(1920);
      expect(ch.durationMs).to.equal(40);
    }
    expect(capture.capturedMs).to.equal(c.chunks.length * 40);
    const peak = c.chunks.reduce((m, ch) => Math.max(m, ...ch.samples.map(Math.abs)), 0);
    expect(peak, 'fake mic beep').to.be.above(1000);
    expect(mic.getAudioTracks()[0]!.readyState, 'caller owns the tracks').to.equal('live');
  });

  it('honours chunkMs', async () => {
    const c = collector();
    const capture = new PcmCapture({ workletUrl: URL_, onChunk: c.onChunk, chunkMs: 100 });
    await capture.start(mic);
    await waitUntil(() => c.chunks.length >= 3, 'no chunks', { timeout: 3000 });
    capture.stop();
    for (const ch of c.chunks) expect(ch.bytes).to.equal(4800);
  });

  it('emits nothing while paused; pause() flushes the tail before it resolves', async () => {
    const c = collector();
    const capture = new PcmCapture({ workletUrl: URL_, onChunk: c.onChunk, chunkMs: 1000 });
    await capture.start(mic, { paused: true });
    expect(capture.active).to.equal(false);
    await sleep(400);
    expect(c.chunks.length, 'started paused').to.equal(0);
    capture.resume();
    await sleep(300);
    expect(c.chunks.length, 'a 1 s chunk is not full yet').to.equal(0);
    await capture.pause();
    expect(c.chunks.length, 'the tail, flushed').to.equal(1);
    expect(c.chunks[0]!.durationMs).to.be.within(200, 450);
    expect(c.chunks[0]!.bytes).to.equal(c.chunks[0]!.durationMs * 48);
    expect(capture.capturedMs).to.equal(c.chunks[0]!.durationMs);
    await sleep(400);
    expect(c.chunks.length, 'paused').to.equal(1);
    capture.resume();
    await waitUntil(() => c.chunks.length > 1, 'resumed', { timeout: 2000 });
    expect(c.chunks[1]!.durationMs).to.equal(1000);
    capture.stop();
  });

  for (const sampleRate of [48000, 44100, 24000, 16000]) {
    it(`resamples a 1 kHz tone to 24 kHz exactly (context rate ${sampleRate})`, async () => {
      const src = tone([1000, 0.5]);
      const c = collector();
      const engine = new AudioEngine(URL_, { sampleRate });
      const capture = new PcmCapture({ engine, onChunk: c.onChunk });
      await capture.start(src.stream);
      await sleep(1500);
      capture.stop();
      await src.stop();
      // Skip the first 200 ms: the stream path warms up.
      const x = c.joined().subarray(4800);
      expect(x.length).to.be.above(24000 * 0.9);
      expect(frequency(x)).to.be.closeTo(1000, 5);
      expect(rms(x)).to.be.closeTo(0.5 / Math.SQRT2, 0.02);
      // A dropped or repeated sample anywhere (chunk boundaries included) would show as a jump.
      let jump = 0;
      for (let i = 1; i < x.length; i++) jump = Math.max(jump, Math.abs(x[i]! - x[i - 1]!) / 32768);
      expect(jump).to.be.below(((2 * Math.PI * 1000) / 24000) * 0.5 * 1.15);
    });
  }

  for (const sampleRate of [48000, 44100]) {
    it(`filters out a 15 kHz tone instead of folding it to 9 kHz (context rate ${sampleRate})`, async () => {
      const src = tone([1000, 0.25], [15000, 0.5]);
      const c = collector();
      const capture = new PcmCapture({ engine: new AudioEngine(URL_, { sampleRate }), onChunk: c.onChunk });
      await capture.start(src.stream);
      await sleep(800);
      capture.stop();
      await src.stop();
      expect(c.chunks.length).to.be.above(10);
      const x = c.joined().subarray(4800);
      expect(level(x, 1000), 'the 1 kHz tone passes').to.be.closeTo(0.25, 0.01);
      // Plain decimation would fold the 15 kHz tone to 9 kHz at full amplitude (0.5); the filter must take 60 dB off.
      expect(level(x, 9000), 'the fold-back at 9 kHz').to.be.below(0.0005);
    });
  }
});

describe('PcmPlayer', () => {
  it('plays queued chunks of several items back to back and reports each item once finished', async () => {
    const player = new PcmPlayer({ workletUrl: URL_ });
    await player.start();
    let idles = 0;
    player.onIdle(() => idles++);
    const items = ['a', 'b', 'c'];
    const t0 = performance.now();
    for (let i = 0; i < 12; i++) player.enqueue(items[Math.floor(i / 4)]!, encode(sineBytes(440, i * 2400, 2400)));
    expect(player.playing).to.equal(true);
    await waitUntil(() => idles > 0, 'never idle', { timeout: 4000 });
    const wall = performance.now() - t0;
    expect(wall, 'no gaps: wall time tracks the 1200 ms of audio').to.be.within(1180, 1330);
    for (const id of items) expect(player.playedMs(id)).to.equal(400);
    expect(player.playing).to.equal(false);
    await sleep(300);
    expect(idles).to.equal(1);
    player.close();
  });

  it('joins chunks without a gap, even when a chunk ends mid-sample', async () => {
    const engine = new AudioEngine(URL_);
    const player = new PcmPlayer({ engine });
    await player.start();
    const rec = await record(engine.context!, player.output!);
    // 1.5 s of a 600 Hz sine over two items, cut into uneven chunks, some ending mid-sample (cuts in bytes).
    const all = sineBytes(600, 0, 36000, 0.5);
    const cuts = [0, 1, 887, 2400, 2401, 9001, 18000, 18001, 30000, 36000, 36001, 54321, 72000];
    for (let i = 1; i < cuts.length; i++)
      player.enqueue(cuts[i]! <= 36000 ? 'one' : 'two', encode(all.subarray(cuts[i - 1], cuts[i])));
    await waitUntil(() => !player.playing, 'never finished', { timeout: 4000 });
    await sleep(200);
    const sound = analyse(rec.stop(), engine.context!.sampleRate);
    player.close();
    expect(sound.seconds, 'duration played').to.be.closeTo(1.5, 0.003);
    expect(sound.frequency).to.be.closeTo(600, 0.5);
    expect(sound.jump, 'no discontinuity').to.be.below(sound.maxStep(600, 0.5));
    expect(sound.flat, 'no silent stretch').to.be.below(3);
    expect([player.playedMs('one'), player.playedMs('two')], 'still known after close()').to.deep.equal([750, 750]);
  });

  it('absorbs a late second delta by prebuffering, and still plays a lone short one', async () => {
    const engine = new AudioEngine(URL_);
    const player = new PcmPlayer({ engine });
    await player.start();
    // 10 ms now and the rest 25 ms later: started at once, the first delta would run dry for ~15 ms, on every run.
    // The 60 ms prebuffer covers it. On a machine loaded by parallel test files, the message to the audio thread
    // can itself come later than that now and then, so up to 5 runs are made and the first whole one is judged;
    // a player without the prebuffer leaves a hole in every run and fails.
    let sound: ReturnType<typeof analyse> | null = null;
    const holes: number[] = [];
    for (let attempt = 0; attempt < 5 && (!sound || sound.flat >= 3); attempt++) {
      const rec = await record(engine.context!, player.output!);
      player.enqueue(`r${attempt}`, encode(sineBytes(600, 0, 240)));
      await sleep(25);
      player.enqueue(`r${attempt}`, encode(sineBytes(600, 240, 4560)));
      await waitUntil(() => !player.playing, 'never finished', { timeout: 3000 });
      await sleep(100);
      sound = analyse(rec.stop(), engine.context!.sampleRate);
      holes.push(sound.flat);
    }
    if (!sound) throw new Error('no run');
    expect(sound.flat, `no hole (flat samples per run: ${holes.join(', ')})`).to.be.below(3);
    expect(sound.seconds).to.be.closeTo(0.2, 0.003);
    expect(sound.jump, 'no discontinuity').to.be.below(sound.maxStep(600, 0.5));
    let idle = false;
    player.onIdle(() => (idle = true));
    player.enqueue('s', encode(sineBytes(600, 0, 240)));
    await waitUntil(() => idle, 'a 10 ms delta alone never played', { timeout: 1000 });
    expect(player.playedMs('s')).to.equal(10);
    player.close();
  });

  it('clear() mid-item stops at once and reports what was heard', async () => {
    const player = new PcmPlayer({ workletUrl: URL_ });
    await player.start();
    let idles = 0;
    player.onIdle(() => idles++);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) player.enqueue('long', encode(sineBytes(300, i * 2400, 2400)));
    await sleep(700);
    const elapsed = performance.now() - t0;
    const cut = player.clear();
    expect(cut?.itemId).to.equal('long');
    expect(cut!.playedMs).to.be.within(elapsed - 100, elapsed + 100);
    expect(player.playing).to.equal(false);
    await player.sync();
    expect(player.playedMs('long'), 'frozen at the cut').to.equal(cut!.playedMs);
    expect(player.clear(), 'nothing playing').to.equal(null);
    // The dropped queue does not come back: a new item plays alone and drains after its own 200 ms.
    const t1 = performance.now();
    player.enqueue('next', encode(sineBytes(300, 0, 4800)));
    await waitUntil(() => idles > 0, 'next never finished', { timeout: 3000 });
    expect(performance.now() - t1).to.be.below(450);
    expect(player.playedMs('next')).to.equal(200);
    expect(player.playedMs('long')).to.equal(cut!.playedMs);
    expect(idles).to.equal(1);
    player.close();
  });

  it('playedMs() grows with the audio clock between reports', async () => {
    const player = new PcmPlayer({ workletUrl: URL_ });
    await player.start();
    player.enqueue('x', encode(sineBytes(200, 0, 24000)));
    const t0 = performance.now();
    const samples: Array<[number, number]> = [];
    while (performance.now() - t0 < 800) {
      await sleep(17);
      samples.push([performance.now() - t0, player.playedMs('x')]);
    }
    player.close();
    for (let i = 1; i < samples.length; i++) expect(samples[i]![1]).to.be.at.least(samples[i - 1]![1]);
    const distinct = new Set(samples.map(([, ms]) => ms)).size;
    expect(distinct, 'finer than the 50 ms reports').to.be.above(samples.length * 0.6);
    for (const [t, ms] of samples.slice(3)) expect(ms).to.be.within(t - 100, t + 100);
  });

  it('surfaces a blocked autoplay as audio_blocked', async () => {
    const Original = window.AudioContext;
    const made: AudioContext[] = [];
    // A context that stays suspended, as without a user gesture under Chrome's default autoplay policy.
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
        void super.suspend();
      }
      override resume() {
        return new Promise<void>(() => {});
      }
      override get state(): AudioContextState {
        return super.state === 'closed' ? 'closed' : 'suspended';
      }
    };
    try {
      const player = new PcmPlayer({ workletUrl: URL_ });
      const err = await player.start().then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code).to.equal('audio_blocked');
      player.enqueue('kept', encode(sineBytes(300, 0, 2400)));
      expect(player.playing).to.equal(true);
      player.close();
      await waitUntil(() => made.every((c) => c.state === 'closed'), 'context left open');
    } finally {
      window.AudioContext = Original;
    }
  });
});

describe('PCM audio resources', () => {
  it('stop() and close() close every AudioContext, shared or not, and never stop the caller’s tracks', async () => {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    const counter = countContexts();
    try {
      const own = new PcmCapture({ workletUrl: URL_, onChunk: () => {} });
      const solo = new PcmPlayer({ workletUrl: URL_ });
      await Promise.all([own.start(mic), solo.start()]);
      const engine = new AudioEngine(URL_);
      const shared = [new PcmCapture({ engine, onChunk: () => {} }), new PcmPlayer({ engine })] as const;
      await Promise.all([shared[0].start(mic), shared[1].start()]);
      expect(counter.made.length, 'the shared pair uses one context').to.equal(3);
      expect(counter.open()).to.equal(3);
      own.stop();
      solo.close();
      shared[0].stop();
      await sleep(50);
      expect(engine.context?.state, 'still held by the player').to.equal('running');
      shared[1].close();
      await waitUntil(() => counter.open() === 0, `${counter.open()} AudioContext(s) left open`);
      // Stopped while starting: nothing may be left behind either.
      const early = new PcmCapture({ workletUrl: URL_, onChunk: () => {} });
      const starting = early.start(mic);
      early.stop();
      await starting;
      const player = new PcmPlayer({ workletUrl: URL_ });
      const opening = player.start();
      player.close();
      await opening;
      await waitUntil(() => counter.open() === 0, 'a cancelled start left a context open');
      expect(mic.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    } finally {
      counter.restore();
      mic.getTracks().forEach((t) => t.stop());
    }
  });
});
