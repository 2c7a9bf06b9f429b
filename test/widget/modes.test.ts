import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { VoiceConnection } from '../../widget/realtime/connection.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, baseConfig, FakeBackend, openAIError } from './fakes/backend.ts';
import { mount, part, recordStatuses, transcriptTexts } from './helpers.ts';
import { trackResources } from './resources.ts';

const mountMode = (mode: string) => mount(html`<voice-buddy key="pk_test" api-base=${API} mode=${mode}></voice-buddy>`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function liveIn(el: VoiceBuddy, mode: string) {
  await waitUntil(
    () => el.status === 'listening' && el.store.$mode.get() === mode,
    `expected listening in ${mode}, got ${el.status} in ${el.store.$mode.get()}`,
    { timeout: 8000 },
  );
  await el.updateComplete;
}

async function receivedTypes(connection = -1): Promise<string[]> {
  const log = await FakeBackend.relayLog();
  return (log.at(connection)?.received ?? []).map((e) => e.type);
}

describe('push-to-talk, text and the fallback chain', () => {
  let backend: FakeBackend;
  const backoff = VoiceConnection.backoffBaseMs;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    await FakeBackend.relay('reset');
    VoiceConnection.backoffBaseMs = 20;
  });
  afterEach(() => {
    backend.uninstall();
    VoiceConnection.backoffBaseMs = backoff;
  });

  it('sandbox server: starts in text, shows the voice modes disabled with the reason, and a voice mode attribute warns once', async () => {
    backend.config = baseConfig({
      sandbox: true,
      unavailableModes: { webrtc: 'needs_provider_key', websocket: 'needs_provider_key' },
      defaultMode: 'text',
    });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      for (const mode of ['', 'push-to-talk', 'push-to-talk']) {
        const el = mode ? await mountMode(mode) : await mount();
        expect(el.store.$mode.get()).to.equal('text');
        expect(part(el, 'connect-button')!.textContent.trim()).to.equal('Start chatting');
        expect(part(el, 'text-input'), 'the text box is there at once').to.exist;
        const options = [...part<HTMLSelectElement>(el, 'mode-select')!.options].map((o) => [
          o.value,
          o.disabled,
          o.textContent.trim(),
        ]);
        expect(options).to.deep.equal([
          ['hands-free', true, 'Hands-free (needs a provider key)'],
          ['push-to-talk', true, 'Push to talk (needs a provider key)'],
          ['text', false, 'Text'],
        ]);
        expect(part(el, 'sandbox-notice')!.textContent).to.match(/OpenAI key/);
        expect(el.allowedModes).to.deep.equal(['text']);
      }
      expect(warnings.filter((w) => w.includes('mode="push-to-talk"'))).to.have.length(1);
    } finally {
      console.warn = warn;
    }
    // With a key, nothing is disabled and there is no notice.
    backend.config = baseConfig();
    const el = await mount();
    expect([...part<HTMLSelectElement>(el, 'mode-select')!.options].some((o) => o.disabled)).to.equal(false);
    expect(part(el, 'sandbox-notice')).to.equal(null);
  });

  it('text mode: a typed idea gets a streamed reply, with no microphone at all', async () => {
    const resources = trackResources();
    try {
      const el = await mountMode('text');
      const input = part<HTMLInputElement>(el, 'text-input')!;
      expect(input, 'the text box is there before connecting').to.exist;
      input.value = 'A fine-line wolf on my forearm';
      part<HTMLButtonElement>(el, 'send-button')!.click();
      await liveIn(el, 'text');
      await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final), 'no assistant reply');
      expect(transcriptTexts(el, 'user')).to.deep.equal(['A fine-line wolf on my forearm']);
      expect(transcriptTexts(el, 'assistant')[0]).to.contain('wolf');
      expect(await receivedTypes()).to.deep.equal(['conversation.item.create', 'response.create']);
      expect(resources.tracks, 'text mode never opens the microphone').to.have.length(0);
      expect(backend.requests.some((r) => r.body.includes('"mode":"text"'))).to.equal(true);
      // Waiting for the next message, a text conversation is Ready: nothing listens.
      await waitUntil(() => el.status === 'listening', 'never waiting for the visitor');
      await el.updateComplete;
      const pill = part(el, 'status')!.shadowRoot!.textContent.replace(/\s+/g, ' ').trim();
      expect(pill).to.equal('Ready');
      el.disconnect();
    } finally {
      resources.restore();
    }
  });

  it('the mode attribute: set just before connect() it applies, changed while live it switches and keeps the transcript', async () => {
    const el = await mountMode('push-to-talk');
    el.setAttribute('mode', 'text');
    await el.connect();
    await liveIn(el, 'text');
    expect(part(el, 'talk-button'), 'no push-to-talk button in text mode').to.equal(null);
    expect(
      backend.requests.filter((r) => r.url.endsWith('/v1/realtime/session')).map((r) => JSON.parse(r.body).mode),
    ).to.deep.equal(['text']);
    await el.sendText('A fine-line wolf');
    await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final), 'no assistant reply');
    el.setAttribute('mode', 'push-to-talk');
    await liveIn(el, 'push-to-talk');
    await waitUntil(() => part(el, 'talk-button') !== null, 'no push-to-talk button after the switch');
    expect(transcriptTexts(el, 'user')).to.deep.equal(['A fine-line wolf']);
    expect(
      backend.requests.filter((r) => r.url.endsWith('/v1/realtime/session')).map((r) => JSON.parse(r.body).mode),
    ).to.deep.equal(['text', 'websocket']);
    el.disconnect();
  });

  it('push-to-talk: press clears, holding sends audio, release commits and asks for a response', async () => {
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    // A real mouse press and hold, through the browser's input pipeline.
    const box = part<HTMLButtonElement>(el, 'talk-button')!.getBoundingClientRect();
    const at: [number, number] = [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
    await sendMouse({ type: 'move', position: at });
    await sendMouse({ type: 'down' });
    await el.updateComplete;
    expect(part(el, 'talk-button')!.getAttribute('aria-pressed')).to.equal('true');
    await sleep(600);
    await sendMouse({ type: 'up' });
    await waitUntil(async () => (await receivedTypes()).includes('response.create'), 'no response.create');
    const types = await receivedTypes();
    const appends = types.filter((t) => t === 'input_audio_buffer.append').length;
    expect(types[0]).to.equal('input_audio_buffer.clear');
    expect(appends, 'about 600 ms of 40 ms chunks').to.be.within(8, 20);
    expect(types.slice(-2)).to.deep.equal(['input_audio_buffer.commit', 'response.create']);
    // The fake accepts the commit (>= 100 ms of audio) and answers with audio and a transcript.
    await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final), 'no assistant reply');
    expect(transcriptTexts(el, 'user')).to.include('a wolf on my forearm');
    await waitUntil(() => el.status === 'listening', 'did not return to listening after playback', { timeout: 8000 });
    el.disconnect();
  });

  it('a press shorter than 150 ms sends no turn', async () => {
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    const talk = part<HTMLButtonElement>(el, 'talk-button')!;
    talk.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
    await sleep(40);
    talk.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 1, bubbles: true }));
    await sleep(300);
    const types = await receivedTypes();
    expect(types).not.to.include('input_audio_buffer.commit');
    expect(types).not.to.include('response.create');
    el.disconnect();
  });

  it('holding Space while the widget has focus talks too', async () => {
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    part<HTMLButtonElement>(el, 'talk-button')!.focus();
    await sendKeys({ down: ' ' });
    await sleep(400);
    await sendKeys({ up: ' ' });
    await waitUntil(async () => (await receivedTypes()).includes('response.create'), 'Space did not send a turn');
    expect((await receivedTypes()).filter((t) => t === 'input_audio_buffer.commit')).to.have.length(1);
    el.disconnect();
  });

  it('a Space turn ends when focus leaves the widget, so the microphone is never left open', async () => {
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    const outside = document.createElement('button');
    outside.textContent = 'elsewhere';
    document.body.append(outside);
    try {
      part<HTMLButtonElement>(el, 'talk-button')!.focus();
      await sendKeys({ down: ' ' });
      await el.updateComplete;
      expect(part(el, 'talk-button')!.getAttribute('aria-pressed')).to.equal('true');
      await sleep(400);
      outside.focus(); // Tab away or a click elsewhere: the keyup lands outside the widget
      await waitUntil(async () => (await receivedTypes()).includes('response.create'), 'the held turn was not ended');
      await el.updateComplete;
      expect(part(el, 'talk-button')!.getAttribute('aria-pressed')).to.equal('false');
      await sendKeys({ up: ' ' });
      await sleep(100);
      expect((await receivedTypes()).filter((t) => t === 'input_audio_buffer.commit')).to.have.length(1);
    } finally {
      outside.remove();
      el.disconnect();
    }
  });

  it('barge-in truncates the reply at the audio actually played', async () => {
    await FakeBackend.relay('behaviour', {
      stepMs: 40,
      reply: 'This is a rather long answer about wolves that keeps going for a while so it can be interrupted.',
    });
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    const talk = part<HTMLButtonElement>(el, 'talk-button')!;
    const turn = async (ms: number) => {
      talk.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 2, bubbles: true }));
      await sleep(ms);
      talk.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 2, bubbles: true }));
    };
    await turn(400);
    await waitUntil(() => el.status === 'speaking', 'assistant never spoke', { timeout: 5000 });
    const speakingSince = performance.now();
    await sleep(500);
    const elapsed = performance.now() - speakingSince;
    talk.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 3, bubbles: true }));
    await waitUntil(async () => (await receivedTypes()).includes('conversation.item.truncate'), 'no truncate');
    const log = await FakeBackend.relayLog();
    const events = log.at(-1)!.received;
    const types = events.map((e) => e.type);
    const truncate = events.find((e) => e.type === 'conversation.item.truncate') as unknown as {
      item_id: string;
      audio_end_ms: number;
      content_index: number;
    };
    expect(types.lastIndexOf('response.cancel')).to.be.lessThan(types.lastIndexOf('conversation.item.truncate'));
    expect(truncate.item_id).to.match(/^item_/);
    expect(truncate.content_index).to.equal(0);
    expect(truncate.audio_end_ms, `played about ${Math.round(elapsed)} ms`).to.be.within(
      Math.max(0, elapsed - 350),
      elapsed + 350,
    );
    talk.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 3, bubbles: true }));
    el.disconnect();
  });

  it('falls back from WebRTC to push-to-talk to text, saying why, and offers to retry the better mode', async () => {
    backend.callsReplies.push(openAIError(400, 'Invalid SDP offer'));
    await FakeBackend.relay('behaviour', { refuseModes: ['websocket'] });
    const el = await mount();
    const statuses: Array<{ status: string; reason?: string; mode: string }> = [];
    el.addEventListener('voice-buddy-status-change', (e) => statuses.push(e.detail));
    const errors: string[] = [];
    el.addEventListener('voice-buddy-error', (e) => errors.push(e.detail.code));
    await el.connect();
    await liveIn(el, 'text');
    const fallbacks = statuses.filter((s) => s.status === 'fallback');
    expect(errors, 'every failure is reported, also the ones worked around').to.deep.equal([
      'sdp_error',
      'relay_unreachable',
    ]);
    expect(fallbacks.map((f) => f.reason)).to.deep.equal(['sdp_error', 'relay_unreachable']);
    const notices = transcriptTexts(el, 'notice').join('\n');
    expect(notices).to.contain('Hands-free could not connect');
    expect(notices).to.contain('Switching to Push to talk');
    expect(notices).to.contain('Switching to Text');
    expect(part(el, 'upgrade-button')!.textContent).to.contain('Hands-free');
    // The better mode works again: the offer reconnects in hands-free, and the transcript stays.
    await FakeBackend.relay('reset');
    const before = el.transcript.length;
    part<HTMLButtonElement>(el, 'upgrade-button')!.click();
    await liveIn(el, 'hands-free');
    expect(el.transcript.length).to.be.at.least(before);
    el.disconnect();
  });

  it('in sandbox, hands-free falls back to push-to-talk at once', async () => {
    backend.sandbox = true;
    const el = await mount();
    const statuses = recordStatuses(el);
    await el.connect();
    await liveIn(el, 'push-to-talk');
    expect(statuses).to.include('fallback');
    el.disconnect();
  });

  it('a dropped connection reconnects with a fresh ticket and keeps the transcript', async () => {
    const el = await mountMode('text');
    await el.sendText('A rose on my wrist');
    await liveIn(el, 'text');
    await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final));
    const statuses: Array<{ status: string; reason?: string }> = [];
    el.addEventListener('voice-buddy-status-change', (e) => statuses.push(e.detail));
    const sessionsBefore = backend.count('/v1/realtime/session');
    await FakeBackend.relay('drop');
    await waitUntil(() => statuses.some((s) => s.status === 'reconnecting'), 'never reconnecting');
    await liveIn(el, 'text');
    expect(statuses.find((s) => s.status === 'reconnecting')!.reason).to.match(/attempt 1 of 3/);
    expect(backend.count('/v1/realtime/session')).to.equal(sessionsBefore + 1);
    expect(transcriptTexts(el, 'user')).to.include('A rose on my wrist');
    expect(transcriptTexts(el, 'notice')).to.include('Reconnected.');
    el.disconnect();
  });

  it('after three failed reconnects it falls back to the next mode', async () => {
    const el = await mountMode('push-to-talk');
    await el.connect();
    await liveIn(el, 'push-to-talk');
    const statuses: Array<{ status: string; reason?: string }> = [];
    el.addEventListener('voice-buddy-status-change', (e) => statuses.push(e.detail));
    await FakeBackend.relay('behaviour', { refuseModes: ['websocket'] });
    await FakeBackend.relay('drop');
    await liveIn(el, 'text');
    expect(statuses.filter((s) => s.status === 'reconnecting')).to.have.length(3);
    expect(statuses.some((s) => s.status === 'fallback')).to.equal(true);
    el.disconnect();
  });

  it('a session cap closes with a clear message and no fallback', async () => {
    const el = await mountMode('text');
    await el.sendText('hello');
    await liveIn(el, 'text');
    const errors: string[] = [];
    el.addEventListener('voice-buddy-error', (e) => errors.push(e.detail.code));
    await FakeBackend.relay('drop', { code: 4001, reason: 'session_max_seconds' });
    await waitUntil(() => el.status === 'error', 'no error status');
    expect(errors).to.deep.equal(['session_max_seconds']);
    expect(part(el, 'error')!.textContent).to.contain('time limit');
  });

  it('switching mode with the picker keeps the transcript', async () => {
    const el = await mountMode('text');
    await el.sendText('A compass on my forearm');
    await liveIn(el, 'text');
    await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final));
    const select = part<HTMLSelectElement>(el, 'mode-select')!;
    select.value = 'push-to-talk';
    select.dispatchEvent(new Event('change'));
    await liveIn(el, 'push-to-talk');
    expect(transcriptTexts(el, 'user')).to.include('A compass on my forearm');
    expect(part(el, 'talk-button')).to.exist;
    el.disconnect();
  });

  it('a mode whose flag is off is not offered', async () => {
    backend.config = { ...backend.config, modes: ['webrtc', 'text'] };
    const el = await mountMode('push-to-talk');
    expect(el.store.$mode.get()).to.equal('hands-free');
    const options = [...part<HTMLSelectElement>(el, 'mode-select')!.options].map((o) => o.value);
    expect(options).to.deep.equal(['hands-free', 'text']);
  });
});
