// AudioWorklet module for voice-buddy's WebSocket audio: `vb-capture` turns the microphone into 24 kHz PCM16
// base64 chunks, `vb-playback` plays base64 PCM16 24 kHz chunks back to back. Plain JavaScript with no imports,
// because it is loaded by URL with audioWorklet.addModule() (blob: and data: URLs break under a strict CSP).
// AudioWorkletGlobalScope has no btoa/atob, hence the small base64 codec below.

const RATE = 24000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = new Uint8Array(64);
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}

/** @param {Uint8Array} bytes */
function toBase64(bytes) {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = ENCODE[(v >> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = i + 1 < n ? ENCODE[(v >> 6) & 63] : 61;
    out[o] = 61;
  }
  let s = '';
  // fromCharCode.apply takes its codes as arguments; slices keep far below the engine's argument limit.
  for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode.apply(null, out.subarray(k, k + 8192));
  return s;
}

/** Decodes base64 into bytes, skipping characters outside the alphabet (padding, whitespace). */
function fromBase64(text) {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, o);
}

/**
 * Windowed-sinc (Blackman) low-pass, unity gain at DC. Blackman's side lobes sit below -74 dB, so what survives
 * past the stop band is inaudible once folded back by the decimation.
 */
function lowpass(taps, cutoff) {
  const h = new Float32Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let k = 0; k < taps; k++) {
    const x = k - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * k) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * k) / (taps - 1));
    h[k] = sinc * w;
    sum += h[k];
  }
  for (let k = 0; k < taps; k++) h[k] /= sum;
  return h;
}

/**
 * Resamples to 24 kHz. When the input rate is higher (48000, 44100, ...) the signal first goes through a linear-phase
 * FIR low-pass (~32 taps per output sample: flat to 8 kHz, -6 dB at 10 kHz, below -67 dB from the new 12 kHz Nyquist
 * up), so nothing folds back into speech; then linear interpolation picks the samples at 24 kHz positions.
 * Interpolating a signal already band-limited to well under half the input rate costs little accuracy, and for 48 kHz
 * (the common case) every output lands exactly on an input sample. ~65 taps x 48000 multiply-adds a second is a small
 * load for the audio thread.
 */
class Resampler {
  constructor(inRate) {
    this.step = inRate / RATE;
    const taps = inRate > RATE ? 2 * Math.round(16 * this.step) + 1 : 0;
    this.h = taps ? lowpass(taps, 10000 / inRate) : null;
    this.hist = new Float32Array(2 * taps);
    this.reset();
  }

  reset() {
    this.hist.fill(0);
    this.w = 0;
    this.prev = 0;
    this.next = 0; // position of the next output sample, relative to the current input sample
  }

  /** Feeds input samples; calls emit(sample) for each 24 kHz sample. */
  push(input, emit) {
    const h = this.h;
    const taps = h ? h.length : 0;
    const hist = this.hist;
    for (let n = 0; n < input.length; n++) {
      let y = input[n];
      if (h) {
        // Each sample is written twice so the last `taps` samples are always one contiguous run.
        hist[this.w] = y;
        hist[this.w + taps] = y;
        this.w = this.w + 1 === taps ? 0 : this.w + 1;
        y = 0;
        for (let k = 0, j = this.w; k < taps; k++, j++) y += h[k] * hist[j];
      }
      while (this.next <= 0) {
        emit(this.prev + (y - this.prev) * (1 + this.next));
        this.next += this.step;
      }
      this.next -= 1;
      this.prev = y;
    }
  }
}

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.frames = Math.max(1, Math.round(((opts.chunkMs || 40) * RATE) / 1000));
    this.bytes = new Uint8Array(this.frames * 2);
    this.view = new DataView(this.bytes.buffer);
    this.filled = 0;
    this.paused = !!opts.paused;
    this.alive = true;
    this.resampler = new Resampler(sampleRate);
    this.emit = (s) => {
      const v = s <= -1 ? -32768 : s >= 1 ? 32767 : Math.round(s < 0 ? s * 32768 : s * 32767);
      this.view.setInt16(this.filled * 2, v, true);
      if (++this.filled === this.frames) this.flush();
    };
    this.port.onmessage = (e) => {
      const msg = e.data;
      if (msg.type === 'pause') {
        // The tail of a push-to-talk turn must reach the server before the commit, so a pause flushes what it has.
        if (!this.paused) this.flush();
        this.paused = true;
        this.port.postMessage({ type: 'paused', seq: msg.seq });
      } else if (msg.type === 'resume') {
        if (this.paused) this.resampler.reset();
        this.paused = false;
      } else if (msg.type === 'stop') {
        this.alive = false;
      }
    };
  }

  flush() {
    if (!this.filled) return;
    const audio = toBase64(this.bytes.subarray(0, this.filled * 2));
    this.port.postMessage({ type: 'chunk', audio, frames: this.filled });
    this.filled = 0;
  }

  process(inputs) {
    if (!this.alive) return false;
    const channels = inputs[0];
    if (this.paused || !channels || channels.length === 0) return true;
    // The node downmixes to one channel (channelCount 1, explicit), so channel 0 is the mono mix.
    this.resampler.push(channels[0], this.emit);
    return true;
  }
}

/**
 * Plays a queue of 24 kHz PCM16 chunks, upsampling to the context rate by linear interpolation across chunk
 * boundaries (so consecutive chunks join without a click). Linear interpolation leaves images of 0-4 kHz speech
 * energy above 20 kHz at below -30 dB, which is inaudible; a polyphase filter would cost more than it adds here.
 * Reports how many 24 kHz frames it has consumed in the current epoch (a clear starts a new one) every ~50 ms while
 * playing, at every start and stop, and when asked; the main thread maps that position onto items in enqueue order.
 */
class PlaybackProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.step = RATE / sampleRate;
    this.queue = []; // Float32Array segments at 24 kHz
    this.head = 0; // read index into queue[0]
    this.available = 0;
    this.odd = -1; // a byte left over when a chunk ended mid-sample, or -1
    this.oddId = null;
    this.epoch = opts.epoch || 0;
    this.consumed = 0;
    this.last = 0;
    this.fadeFrom = 0;
    this.fadeLeft = 0;
    this.fadeLength = Math.round(sampleRate * 0.005);
    this.running = false;
    this.cur = 0;
    this.nxt = 0;
    this.frac = 0;
    this.alive = true;
    this.every = Math.max(1, Math.round((0.05 * sampleRate) / 128));
    // Starting on the first small chunk underruns when the next is a few ms late (network jitter, or messages
    // landing between render quanta), so a start waits until this much is queued or this long has passed.
    this.prebuffer = Math.round(((opts.prebufferMs === undefined ? 60 : opts.prebufferMs) * RATE) / 1000);
    this.waitingSince = -1;
    this.blocks = 0;
    this.port.onmessage = (e) => {
      const msg = e.data;
      if (msg.type === 'push') this.push(msg.id, msg.audio);
      else if (msg.type === 'clear') {
        this.queue = [];
        this.head = 0;
        this.available = 0;
        this.odd = -1;
        // Stopping mid-waveform clicks; a 5 ms fade from the last output value does not.
        if (this.running) {
          this.fadeFrom = this.last;
          this.fadeLeft = this.fadeLength;
        }
        this.running = false;
        this.waitingSince = -1;
        this.epoch = msg.epoch;
        this.consumed = 0;
      } else if (msg.type === 'report') this.report(msg.seq);
      else if (msg.type === 'stop') this.alive = false;
    };
  }

  push(id, audio) {
    let bytes = fromBase64(audio);
    if (this.odd >= 0 && this.oddId === id) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.odd;
      joined.set(bytes, 1);
      bytes = joined;
    }
    this.odd = bytes.length & 1 ? bytes[bytes.length - 1] : -1;
    this.oddId = id;
    const frames = bytes.length >> 1;
    if (!frames) return;
    const view = new DataView(bytes.buffer, bytes.byteOffset, frames * 2);
    const samples = new Float32Array(frames);
    for (let i = 0; i < frames; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
    this.queue.push(samples);
    this.available += frames;
    if (!this.running && this.waitingSince < 0) this.waitingSince = currentTime;
  }

  take() {
    const seg = this.queue[0];
    const v = seg[this.head++];
    if (this.head === seg.length) {
      this.queue.shift();
      this.head = 0;
    }
    this.available--;
    this.consumed++;
    return v;
  }

  report(seq, time = currentTime) {
    this.port.postMessage({
      type: 'played',
      epoch: this.epoch,
      frames: this.consumed,
      playing: this.running,
      time,
      seq,
    });
  }

  process(_inputs, outputs) {
    if (!this.alive) return false;
    const out = outputs[0][0];
    const wasRunning = this.running;
    for (let i = 0; i < out.length; i++) {
      if (!this.running) {
        const ready =
          this.available > 0 &&
          (this.available >= this.prebuffer || (currentTime - this.waitingSince) * RATE >= this.prebuffer);
        if (!ready) {
          out[i] = this.fadeLeft > 0 ? (this.fadeFrom * --this.fadeLeft) / this.fadeLength : 0;
          continue;
        }
        this.waitingSince = -1;
        // Start from a virtual zero sample so a stream never begins with a step.
        this.running = true;
        this.cur = 0;
        this.nxt = this.take();
        this.frac = 0;
        this.fadeLeft = 0;
      }
      out[i] = this.last = this.cur + (this.nxt - this.cur) * this.frac;
      this.frac += this.step;
      while (this.frac >= 1) {
        this.frac -= 1;
        if (this.available) {
          this.cur = this.nxt;
          this.nxt = this.take();
        } else if (this.nxt !== 0 || this.cur !== 0) {
          // Out of data: ramp to zero over one sample, then stop.
          this.cur = this.nxt;
          this.nxt = 0;
        } else {
          this.running = false;
          break;
        }
      }
    }
    if (this.running !== wasRunning || (this.running && ++this.blocks % this.every === 0))
      this.report(undefined, currentTime + out.length / sampleRate);
    return true;
  }
}

registerProcessor('vb-capture', CaptureProcessor);
registerProcessor('vb-playback', PlaybackProcessor);
