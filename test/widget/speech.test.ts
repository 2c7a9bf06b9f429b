import { expect, html, waitUntil } from '@open-wc/testing';
import { AvatarHost } from '../../widget/avatar/host.ts';
import type { SpeechDetail } from '../../widget/tts/host.ts';
import { SpeechHost } from '../../widget/tts/host.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { FakeAgoraRtc } from './fakes/agora.ts';
import { API, baseConfig, FakeBackend, workerError } from './fakes/backend.ts';
import { mount, part, recordErrors, transcriptTexts } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SPEECH_CODE = /widget\/tts\/(speech\.lazy|speaker|output)|chunks\/voice-buddy-speech/;
const speechResources = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((n) => SPEECH_CODE.test(n));

const ttsOn = () =>
  baseConfig({
    modes: ['websocket', 'text'],
    defaultMode: 'text',
    tts: { available: true },
    flags: { tts: { enabled: true, reason: 'DEFAULT' } },
  });

function record(el: VoiceBuddy): SpeechDetail[] {
  const events: SpeechDetail[] = [];
  el.addEventListener('voice-buddy-speech', (e) => events.push(e.detail));
  return events;
}

/** The <audio> elements the speaker plays its MediaSource through. */
function captureSpeechAudio(): { elements: HTMLAudioElement[]; restore: () => void } {
  const elements: HTMLAudioElement[] = [];
  const original = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (this instanceof HTMLAudioElement && this.src.startsWith('blob:') && !elements.includes(this))
      elements.push(this);
    return original.call(this);
  };
  return { elements, restore: () => (HTMLMediaElement.prototype.play = original) };
}

async function say(el: VoiceBuddy, text: string): Promise<void> {
  part<HTMLInputElement>(el, 'text-input')!.value = text;
  part<HTMLButtonElement>(el, 'send-button')!.click();
  await waitUntil(() => el.status === 'listening' || el.status === 'thinking', 'not live', { timeout: 8000 });
}

const finalReplies = (el: VoiceBuddy) => el.transcript.filter((e) => e.kind === 'assistant' && e.final).length;
/** `n` replies are complete, through `response.done`: the next message may be sent (one response at a time). */
const repliesDone = (el: VoiceBuddy, n: number) => finalReplies(el) >= n && el.status === 'listening';

describe('spoken replies in text mode', () => {
  let backend: FakeBackend;
  let audio: ReturnType<typeof captureSpeechAudio>;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    backend.config = ttsOn();
    await FakeBackend.relay('reset');
    audio = captureSpeechAudio();
  });
  afterEach(() => {
    audio.restore();
    backend.uninstall();
    SpeechHost.overrides = {};
  });

  // First on purpose: nothing of the speaker may have been loaded into this page yet.
  it('with the tts flag off: silent text, no button, no request, no speech code loaded', async () => {
    backend.config = baseConfig({
      modes: ['websocket', 'text'],
      defaultMode: 'text',
      tts: { available: false },
      flags: { tts: { enabled: false, reason: 'DISABLED' } },
    });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    expect(part(el, 'speech-button')).to.equal(null);
    await say(el, 'A wolf on my forearm');
    await waitUntil(() => repliesDone(el, 1), 'no reply');
    await sleep(100);
    expect(backend.count('/v1/tts')).to.equal(0);
    expect(speechResources()).to.deep.equal([]);
    expect(audio.elements).to.have.length(0);
    el.disconnect();
  });

  it('speaks each reply sentence by sentence while it streams, and plays the audio to the end', async () => {
    await FakeBackend.relay('behaviour', {
      reply: 'A fine-line wolf would suit your forearm. Shall we add a moon? Black and grey works well. ',
      stepMs: 40,
    });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const events = record(el);
    expect(part(el, 'speech-button'), 'offered in text mode').to.exist;
    await say(el, 'A wolf on my forearm');
    await waitUntil(() => backend.ttsRequests.length >= 1, 'no speech requested');
    // The first sentence is asked for alone, while the model is still writing the rest.
    expect(backend.ttsRequests[0]!.text).to.equal('A fine-line wolf would suit your forearm.');
    expect(finalReplies(el), 'asked before the reply ended').to.equal(0);
    await waitUntil(() => events.some((e) => e.type === 'started'), 'speech never started');
    await waitUntil(() => events.some((e) => e.type === 'ended'), 'speech never ended', { timeout: 8000 });
    expect(events).to.deep.equal([{ type: 'started' }, { type: 'ended', reason: 'finished' }]);
    const spoken = backend.ttsRequests.map((r) => r.text).join(' ');
    expect(spoken).to.equal(
      'A fine-line wolf would suit your forearm. Shall we add a moon? Black and grey works well.',
    );
    expect(backend.ttsRequests.length, 'later sentences share requests').to.be.at.most(3);
    expect(backend.ttsRequests.every((r) => r.uid?.startsWith('v_'))).to.equal(true);
    // A real <audio> played the MP3 the Worker streamed: time moved and it reached the end.
    const played = audio.elements.at(-1)!;
    expect(played, 'an audio element').to.exist;
    expect(played.ended || played.src === '', 'played to the end and released').to.equal(true);
    expect(transcriptTexts(el, 'notice').filter((t) => t.includes('Spoken'))).to.deep.equal([]);
    el.disconnect();
  });

  it('a new message stops the voice at once, and mute keeps it silent until unmuted', async () => {
    backend.ttsChunkDelayMs = 150; // audio trickles in: the reply is still speaking when the visitor types
    // The fake model gives every reply of this conversation the same text.
    const sentence = 'The wolf looks over its shoulder at the rising moon.';
    await FakeBackend.relay('behaviour', { reply: `${sentence} `.repeat(6), stepMs: 5 });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const events = record(el);
    await say(el, 'Tell me about the wolf');
    await waitUntil(() => events.some((e) => e.type === 'started'), 'speech never started', { timeout: 8000 });
    // The model is done writing (one response at a time), the voice is still talking.
    await waitUntil(() => repliesDone(el, 1), 'no reply');
    const speaking = audio.elements.at(-1)!;
    expect(speaking.paused).to.equal(false);
    const before = backend.ttsRequests.length;
    await el.sendText('Make it smaller');
    // Synchronous: silent before the message has even left, and the audio still arriving is dropped.
    expect(speaking.paused, 'silenced at once').to.equal(true);
    expect(events.at(-1)).to.deep.equal({ type: 'ended', reason: 'interrupted' });
    await waitUntil(() => backend.ttsAborted >= 1, 'the request in flight was not aborted');
    // The next reply starts over with its own first sentence, alone.
    await waitUntil(() => backend.ttsRequests.length > before, 'the new reply is not spoken');
    expect(backend.ttsRequests[before]!.text).to.equal(sentence);
    await waitUntil(() => events.filter((e) => e.type === 'started').length === 2, 'the new reply did not play', {
      timeout: 8000,
    });
    await waitUntil(() => repliesDone(el, 2), 'no second reply');

    // Mute: the button stops speech at once and nothing more is asked for.
    const button = part<HTMLButtonElement>(el, 'speech-button')!;
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(button.textContent.trim()).to.equal('Unmute voice');
    expect(events.at(-1)).to.deep.equal({ type: 'ended', reason: 'muted' });
    expect(audio.elements.at(-1)!.paused).to.equal(true);
    const muted = backend.ttsRequests.length;
    await el.sendText('And the colours?');
    await waitUntil(() => repliesDone(el, 3), 'no third reply', { timeout: 8000 });
    await sleep(100);
    expect(backend.ttsRequests.length, 'muted: nothing requested').to.equal(muted);
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    await el.sendText('Thanks');
    await waitUntil(() => backend.ttsRequests.length > muted, 'unmuted: spoken again');
    el.disconnect();
  });

  it('a failure falls back to silent text with one notice and one error event; the next conversation tries again', async () => {
    backend.ttsReplies = [
      workerError(402, 'quota_exceeded', 'This site has used all 100000 text-to-speech characters for 2026-12'),
    ];
    await FakeBackend.relay('behaviour', { reply: 'One sentence. Two sentences. ', stepMs: 5 });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const events = record(el);
    const errors = recordErrors(el);
    await say(el, 'Hello');
    await waitUntil(() => events.some((e) => e.type === 'fallback'), 'no fallback');
    await waitUntil(() => repliesDone(el, 1), 'no reply');
    expect(events).to.deep.equal([{ type: 'fallback', reason: 'quota_exceeded' }]);
    expect(errors.map((e) => e.code)).to.deep.equal(['quota_exceeded']);
    await el.sendText('Another message');
    await waitUntil(() => repliesDone(el, 2));
    await sleep(100);
    expect(backend.ttsRequests).to.have.length(1);
    const notices = transcriptTexts(el, 'notice').filter((t) => t.includes('Spoken replies'));
    expect(notices).to.deep.equal([
      'Spoken replies have reached this site’s limit for the month; replies continue as text.',
    ]);
    expect(el.status).to.equal('listening');
    expect(part(el, 'error'), 'the conversation is not in error').to.equal(null);
    await el.updateComplete;
    expect(part(el, 'speech-button'), 'nothing left to mute').to.equal(null);

    el.disconnect();
    await el.updateComplete;
    await el.sendText('Again');
    await waitUntil(() => backend.ttsRequests.length >= 2, 'a new conversation speaks again');
    await waitUntil(() => events.some((e) => e.type === 'started'), 'and plays');
    el.disconnect();
  });

  it('a provider error midway and a broken stream both end in the same single fallback', async () => {
    backend.ttsReplies = [
      () =>
        new Response(new ReadableStream({ start: (c) => c.error(new TypeError('network error')) }), {
          headers: { 'Content-Type': 'audio/mpeg' },
        }),
    ];
    await FakeBackend.relay('behaviour', { reply: 'Broken audio. ', stepMs: 5 });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const events = record(el);
    await say(el, 'Hello');
    await waitUntil(() => events.some((e) => e.type === 'fallback'));
    expect(events.filter((e) => e.type === 'fallback')).to.deep.equal([{ type: 'fallback', reason: 'tts_failed' }]);
    expect(transcriptTexts(el, 'notice').filter((t) => t.includes('Spoken replies'))).to.have.length(1);
    el.disconnect();
  });

  it('when autoplay is refused, offers "turn on sound" and plays from the tap', async () => {
    const play = HTMLMediaElement.prototype.play;
    let refuse = true;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (refuse && this.src.startsWith('blob:'))
        return Promise.reject(new DOMException('play() needs a gesture', 'NotAllowedError'));
      return play.call(this);
    };
    try {
      await FakeBackend.relay('behaviour', { reply: 'Tap to hear me. ', stepMs: 5 });
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
      const events = record(el);
      await say(el, 'Hello');
      await waitUntil(() => el.store.$needsAudioUnlock.get(), 'not asked to turn on sound');
      await el.updateComplete;
      refuse = false;
      part<HTMLButtonElement>(el, 'sound-button')!.click();
      await waitUntil(() => events.some((e) => e.type === 'started'), 'did not play after the tap');
      expect(el.store.$needsAudioUnlock.get()).to.equal(false);
      el.disconnect();
    } finally {
      HTMLMediaElement.prototype.play = play;
    }
  });

  it('plays through Web Audio where Media Source cannot be used (no audio/mpeg, or a CSP without blob:)', async () => {
    const { DecodedOutput } = await import('../../widget/tts/output.ts');
    const context = new AudioContext();
    let decoded = 0;
    SpeechHost.overrides = {
      createOutput: (events) => {
        decoded++;
        return new DecodedOutput(context, events);
      },
    };
    await FakeBackend.relay('behaviour', { reply: 'Decoded speech. Second part. ', stepMs: 20 });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const events = record(el);
    await say(el, 'Hello');
    await waitUntil(() => events.some((e) => e.type === 'ended'), 'decoded speech did not end', { timeout: 8000 });
    expect(events).to.deep.equal([{ type: 'started' }, { type: 'ended', reason: 'finished' }]);
    expect(decoded).to.equal(1);
    expect(audio.elements).to.have.length(0);
    el.disconnect();
    await context.close();
  });

  it('while the avatar is live it speaks instead: no speech requests until it is off again', async () => {
    backend.config = {
      ...ttsOn(),
      avatar: { available: true },
      flags: { tts: { enabled: true, reason: 'DEFAULT' }, avatar: { enabled: true, reason: 'DEFAULT' } },
    };
    FakeAgoraRtc.reset();
    AvatarHost.overrides = {
      createRtc: () => new FakeAgoraRtc(),
      strict: true,
      checkIntervalMs: 60_000,
      readBudget: () => ({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 }),
    };
    try {
      await FakeBackend.relay('behaviour', { reply: 'Said by one voice only. ', stepMs: 5 });
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text" avatar="on"></voice-buddy>`);
      const avatarEvents: string[] = [];
      el.addEventListener('voice-buddy-avatar', (e) => avatarEvents.push(e.detail.type));
      await el.connect();
      await waitUntil(() => avatarEvents.includes('started'), 'the avatar did not start', { timeout: 8000 });
      await el.sendText('Hello');
      await waitUntil(() => repliesDone(el, 1));
      await waitUntil(
        () => FakeAgoraRtc.instances.at(-1)!.sent.some((m) => m.type === 'chat'),
        'the avatar was not given the reply',
      );
      expect(backend.ttsRequests).to.have.length(0);
      part<HTMLButtonElement>(el, 'avatar-button')!.click();
      await waitUntil(
        () => !(el as unknown as { avatarHost: AvatarHost }).avatarHost.handle,
        'the avatar did not stop',
        { timeout: 5000 },
      );
      await el.sendText('And now?');
      await waitUntil(
        () => backend.ttsRequests.some((r) => r.text === 'Said by one voice only.'),
        'speech did not come back',
      );
      el.disconnect();
    } finally {
      AvatarHost.overrides = {};
    }
  });
});
