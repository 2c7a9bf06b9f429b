import { errorPolicy } from '../../widget/contract/errors.ts';
import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AvatarDetail, AvatarHandle } from '../../widget/avatar/avatar.lazy.ts';
import { AvatarHost } from '../../widget/avatar/host.ts';
import type { AkoolChatMessage } from '../../widget/avatar/message-queue.ts';
import { ApiClient } from '../../widget/api/client.ts';
import { WorkerApi } from '../../widget/api/endpoints.ts';
import { PcmPlayer } from '../../widget/controllers/pcm-player.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { FakeAgoraRtc, FakeAgoraTokens } from './fakes/agora.ts';
import { API, baseConfig, FakeBackend, workerError } from './fakes/backend.ts';
import { turnEvents } from './fakes/openai-peer.ts';
import { connected, mount, part, recordErrors, transcriptTexts } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GOOD_DEVICE = () => ({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 });
/** Module URLs that belong to the avatar's lazy code (the test's own fake is not one of them). */
const AVATAR_CODE =
  /widget\/avatar\/(avatar\.lazy|controller|agora|view|budget)|agora-rtc-sdk-ng|chunks\/voice-buddy-(avatar|agora)/;

// Every module of the unbundled widget is a resource entry: Chromium's default buffer (250) fills up in this file.
performance.setResourceTimingBufferSize(5000);

function avatarResources(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((name) => AVATAR_CODE.test(name));
}

function record(el: VoiceBuddy): AvatarDetail[] {
  const events: AvatarDetail[] = [];
  el.addEventListener('voice-buddy-avatar', (e) => events.push(e.detail));
  return events;
}

const host = (el: VoiceBuddy) => (el as unknown as { avatarHost: AvatarHost }).avatarHost;
const handle = (el: VoiceBuddy): AvatarHandle => host(el).handle!;
const latestRtc = () => FakeAgoraRtc.instances.at(-1)!;
const chats = (rtc: FakeAgoraRtc) => rtc.sent.filter((m): m is AkoolChatMessage => m.type === 'chat');

async function started(events: AvatarDetail[], count = 1): Promise<void> {
  await waitUntil(() => events.filter((e) => e.type === 'started').length >= count, 'the avatar did not start', {
    timeout: 5000,
  });
}

/** The avatar is off and its release is complete: every session the fake Worker created is closed. */
async function avatarOff(el: VoiceBuddy, backend: FakeBackend): Promise<void> {
  await waitUntil(() => !host(el).handle, 'the avatar did not end', { timeout: 5000 });
  await waitUntil(
    () => [...backend.avatarSessions.values()].every((s) => s.closedBy),
    'an avatar session is still open',
    { timeout: 5000 },
  );
  await el.updateComplete;
}

/** The model's WebRTC audio elements, as the widget plays them. */
function captureAudioElements(): { elements: HTMLMediaElement[]; restore: () => void } {
  const elements: HTMLMediaElement[] = [];
  const original = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (this instanceof HTMLAudioElement && this.srcObject instanceof MediaStream) elements.push(this);
    return original.call(this);
  };
  return { elements, restore: () => (HTMLMediaElement.prototype.play = original) };
}

async function altKey(key: string): Promise<void> {
  await sendKeys({ down: 'Alt' });
  await sendKeys({ press: key });
  await sendKeys({ up: 'Alt' });
}

const delta = (text: string, responseId = 'resp_a', itemId = 'item_a') => ({
  type: 'response.output_audio_transcript.delta',
  response_id: responseId,
  item_id: itemId,
  output_index: 0,
  content_index: 0,
  delta: text,
});
const responseDone = (responseId = 'resp_a') => ({
  type: 'response.done',
  response: { id: responseId, object: 'realtime.response', status: 'completed', output: [] },
});

describe('the talking avatar', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
    backend.config = baseConfig({
      avatar: { available: true },
      flags: { avatar: { enabled: true, reason: 'DEFAULT' } },
    });
    FakeAgoraRtc.reset();
    AvatarHost.overrides = {
      createRtc: () => new FakeAgoraRtc(),
      strict: true,
      backoffMs: [20, 40, 60],
      checkIntervalMs: 60_000,
      readBudget: GOOD_DEVICE,
    };
  });
  afterEach(() => {
    backend.uninstall();
    AvatarHost.overrides = {};
  });

  // First on purpose: nothing of the avatar may have been loaded into this page yet.
  it('loads no avatar or Agora code and makes no avatar request while the avatar is off', async () => {
    const el = await mount();
    await connected(el);
    expect(part(el, 'avatar-button'), 'offered').to.exist;
    expect(part(el, 'avatar-quality'), 'no quality picker while off').to.equal(null);
    await backend.latestPeer.play(turnEvents(), 1);
    await waitUntil(() => transcriptTexts(el, 'assistant').length === 1);
    expect(avatarResources()).to.deep.equal([]);
    expect(backend.requests.filter((r) => r.url.includes('/v1/avatar/'))).to.have.length(0);
    expect(FakeAgoraRtc.instances).to.have.length(0);
    expect(part(el, 'avatar')!.hidden).to.equal(true);
    el.disconnect();
  });

  it('is not offered when bootstrap says it is unavailable or its flag is off', async () => {
    backend.config = baseConfig({ avatar: { available: false } });
    const unavailable = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    expect(part(unavailable, 'avatar-button')).to.equal(null);
    await connected(unavailable);
    await sleep(50);
    expect(backend.requests.filter((r) => r.url.includes('/v1/avatar/'))).to.have.length(0);
    unavailable.disconnect();

    backend.config = baseConfig({
      avatar: { available: true },
      flags: { avatar: { enabled: false, reason: 'DISABLED' } },
    });
    const flagOff = await mount();
    expect(part(flagOff, 'avatar-button')).to.equal(null);
  });

  it('turns on with the button: session, join, started, and the reply streamed sentence by sentence', async () => {
    const el = await mount();
    const events = record(el);
    await connected(el);
    part<HTMLButtonElement>(el, 'avatar-button')!.click();
    await started(events);
    await el.updateComplete;
    expect(part(el, 'avatar-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'avatar')!.hidden).to.equal(false);
    expect(part(el, 'avatar')!.querySelector('video'), 'the avatar video plays in the container').to.exist;
    expect(part(el, 'avatar')!.querySelector('[role="status"]'), 'a live overlay').to.exist;
    expect(part(el, 'avatar-quality')).to.exist;

    const create = backend.requests.find((r) => r.url.endsWith('/v1/avatar/session'))!;
    expect(JSON.parse(create.body)).to.deep.include({ quality: 'high' });
    expect(JSON.parse(create.body).uid).to.match(/^v_/);
    const rtc = latestRtc();
    // Joined with exactly what the Worker answered, right after create.
    expect(rtc.joins).to.deep.equal([backend.avatarAnswers[0]!.agora]);
    expect(rtc.joins[0]).to.include({ appId: 'agora-app-id', channel: 'channel_av_1', uid: 1001 });
    expect(handle(el).state).to.equal('ready');

    // A sentence goes out as soon as it ends, before the response is done.
    const peer = backend.latestPeer;
    const long = `${'A wolf with a crescent moon, fine lines and soft shading along the forearm, '.repeat(16).trim()}.`;
    await peer.play(
      [
        {
          type: 'response.created',
          response: { id: 'resp_a', object: 'realtime.response', status: 'in_progress', output: [] },
        },
        delta('Hello there. '),
        delta('Shall we '),
      ],
      2,
    );
    await waitUntil(() => chats(rtc).length === 1, 'the first sentence was not sent before the response ended');
    expect(chats(rtc)[0]).to.deep.include({ v: 2, type: 'chat', idx: 0, fin: true, pld: { text: 'Hello there.' } });
    expect(chats(rtc)[0]!.mid).to.be.a('string').and.not.empty;
    await waitUntil(() => handle(el).state === 'speaking');

    await peer.play([delta(`start? ${long} `), delta('それはいいですね。'), delta('And the rest'), responseDone()], 2);
    await waitUntil(
      () => chats(rtc).some((m) => m.pld.text === 'And the rest' && m.fin),
      'response.done did not flush the rest',
      { timeout: 4000 },
    );
    const sentences = new Map<string, string>();
    for (const m of chats(rtc)) sentences.set(m.mid, (sentences.get(m.mid) ?? '') + m.pld.text);
    expect([...sentences.values()]).to.deep.equal([
      'Hello there.',
      'Shall we start?',
      long,
      'それはいいですね。',
      'And the rest',
    ]);
    // The long sentence went out in chunks of one message id, indexed, `fin` only on the last.
    const longMid = chats(rtc).find((m) => m.pld.text.startsWith('A wolf with'))!.mid;
    const longChunks = chats(rtc).filter((m) => m.mid === longMid);
    expect(longChunks.length).to.be.greaterThan(1);
    expect(new Set(longChunks.map((m) => m.mid)).size).to.equal(1);
    expect(longChunks.map((m) => m.idx)).to.deep.equal(longChunks.map((_, i) => i));
    expect(longChunks.map((m) => m.fin)).to.deep.equal(longChunks.map((_, i) => i === longChunks.length - 1));
    for (const bytes of rtc.messages) expect(bytes.byteLength).to.be.at.most(960);
    expect(rtc.refused, 'nothing over Agora’s rate').to.deep.equal([]);

    // The transcript is untouched by all this.
    expect(transcriptTexts(el, 'assistant')[0]).to.contain('Hello there. Shall we start?');
    part<HTMLButtonElement>(el, 'avatar-button')!.click();
    await avatarOff(el, backend);
    expect(backend.avatarSessions.get('av_1')).to.deep.equal({ closedBy: 'delete' });
    expect(rtc.joined).to.equal(false);
    el.disconnect();
  });

  it('Alt+V toggles the avatar and Alt+Q steps through the qualities', async () => {
    const el = await mount();
    const events = record(el);
    await connected(el);
    part<HTMLButtonElement>(el, 'connect-button')!.focus();
    await altKey('KeyV');
    await started(events);
    const rtc = latestRtc();
    await altKey('KeyQ'); // auto -> high: the same stream
    await altKey('KeyQ'); // -> medium
    await waitUntil(() => events.some((e) => e.type === 'quality-changed'));
    expect(events.filter((e) => e.type === 'quality-changed')).to.deep.equal([
      { type: 'quality-changed', quality: 'medium' },
    ]);
    await el.updateComplete;
    expect(part<HTMLSelectElement>(el, 'avatar-quality')!.value).to.equal('medium');
    expect(rtc.streamTypes.at(-1), 'the low stream').to.equal(1);
    // The picker does the same.
    const select = part<HTMLSelectElement>(el, 'avatar-quality')!;
    select.value = 'high';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => rtc.streamTypes.at(-1) === 0);
    await altKey('KeyV');
    await avatarOff(el, backend);
    expect(part(el, 'avatar-button')!.getAttribute('aria-pressed')).to.equal('false');
    expect(backend.avatarSessions.get('av_1')!.closedBy).to.equal('delete');
    el.disconnect();
  });

  it('barge-in sends the interrupt command at once and drops what was queued', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const events = record(el);
    await connected(el);
    await started(events);
    const rtc = latestRtc();
    const peer = backend.latestPeer;
    // About 20 KB of sentences: paced at 6,000 B/s, most of it waits in the queue.
    const sentences = Array.from(
      { length: 60 },
      (_, i) => `Sentence number ${i} describes the wolf, the moon and the fine lines in some detail. `,
    );
    await peer.play(
      [
        {
          type: 'response.created',
          response: { id: 'resp_a', object: 'realtime.response', status: 'in_progress', output: [] },
        },
        delta(sentences.join('')),
      ],
      1,
    );
    await waitUntil(() => chats(rtc).length > 3);
    const before = chats(rtc).length;
    expect(before, 'pacing holds most of it back').to.be.lessThan(60);
    peer.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 10, item_id: 'item_u2' });
    await waitUntil(() => rtc.sent.some((m) => m.type === 'command'), 'no interrupt command');
    const command = rtc.sent.find((m) => m.type === 'command')!;
    expect(command).to.deep.include({ v: 2, type: 'command', pld: { cmd: 'interrupt' } });
    expect(rtc.refused, 'the interrupt fits beside a full second of chat').to.deep.equal([]);
    const atInterrupt = rtc.sent.length;
    // Late deltas of the interrupted reply are not spoken; the next reply is.
    await peer.play(
      [
        delta('Late words of the old reply. '),
        responseDone(),
        delta('A new reply. ', 'resp_b', 'item_b'),
        responseDone('resp_b'),
      ],
      2,
    );
    await sleep(1200);
    const after = rtc.sent.slice(atInterrupt);
    expect(after.map((m) => (m.type === 'chat' ? m.pld.text : m.pld.cmd))).to.deep.equal(['A new reply.']);
    // Typing a message interrupts too.
    part<HTMLInputElement>(el, 'text-input')!.value = 'smaller please';
    part<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => rtc.sent.filter((m) => m.type === 'command').length === 2);
    el.disconnect();
    await avatarOff(el, backend);
  });

  it('mutes the model while the avatar speaks and brings its voice back on a fallback', async () => {
    const audio = captureAudioElements();
    try {
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
      const events = record(el);
      await connected(el);
      await waitUntil(() => audio.elements.length > 0);
      const model = audio.elements.at(-1)!;
      await started(events);
      expect(model.muted, 'muted while the avatar is live').to.equal(true);
      latestRtc().emit('user-left', latestRtc().avatar, 'Quit');
      await waitUntil(() => events.some((e) => e.type === 'fallback'));
      expect(model.muted, 'the model speaks again').to.equal(false);
      expect(events.find((e) => e.type === 'fallback')).to.deep.equal({ type: 'fallback', reason: 'avatar_left' });
      await avatarOff(el, backend);
      expect(el.status).to.equal('listening');
      expect(transcriptTexts(el, 'notice').some((t) => t.includes('continues without the avatar'))).to.equal(true);
      el.disconnect();
    } finally {
      audio.restore();
    }
  });

  it('push-to-talk: the player is silenced while the avatar is live and restored after', async () => {
    await FakeBackend.relay('reset');
    const calls: boolean[] = [];
    const original = PcmPlayer.prototype.setMuted;
    PcmPlayer.prototype.setMuted = function (this: PcmPlayer, muted: boolean) {
      calls.push(muted);
      original.call(this, muted);
    };
    try {
      const el = await mount(
        html`<voice-buddy key="pk_test" api-base=${API} mode="push-to-talk" avatar="on"></voice-buddy>`,
      );
      const events = record(el);
      await el.connect();
      await started(events);
      expect(calls.at(-1)).to.equal(true);
      part<HTMLButtonElement>(el, 'avatar-button')!.click();
      await avatarOff(el, backend);
      expect(calls.at(-1)).to.equal(false);
      el.disconnect();
    } finally {
      PcmPlayer.prototype.setMuted = original;
    }
  });

  it('degrades on a weak network: lower quality, then audio only with a notice', async () => {
    AvatarHost.overrides = { ...AvatarHost.overrides, checkIntervalMs: 100 };
    const audio = captureAudioElements();
    try {
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
      const events = record(el);
      await connected(el);
      await started(events);
      const rtc = latestRtc();
      const weak = async () => {
        for (let i = 0; i < 3; i++) rtc.emit('network-quality', { uplinkNetworkQuality: 1, downlinkNetworkQuality: 5 });
        await el.updateComplete;
      };
      await weak();
      expect(handle(el).state).to.equal('degraded');
      expect(part(el, 'avatar')!.querySelector('[role="status"]')!.textContent).to.contain('Weak connection');
      await waitUntil(() => events.some((e) => e.type === 'quality-changed'), 'quality not lowered');
      expect(rtc.streamTypes.at(-1)).to.equal(1);
      await weak();
      await waitUntil(() => events.filter((e) => e.type === 'quality-changed').length === 2);
      expect(
        events.filter((e) => e.type === 'quality-changed').map((e) => (e as { quality: string }).quality),
      ).to.deep.equal(['medium', 'low']);
      await weak();
      await waitUntil(() => events.some((e) => e.type === 'fallback'), 'no fallback to audio only');
      expect(events.at(-1)).to.deep.equal({ type: 'fallback', reason: 'network_quality' });
      expect(rtc.unsubscribed).to.include('video');
      expect(audio.elements.at(-1)!.muted).to.equal(false);
      await avatarOff(el, backend);
      const notices = transcriptTexts(el, 'notice');
      expect(notices.some((t) => t.includes('Lowering the avatar’s video quality to medium'))).to.equal(true);
      expect(notices.some((t) => t.includes('stayed too weak'))).to.equal(true);
      expect(backend.avatarSessions.get('av_1')!.closedBy).to.equal('delete');
      expect(rtc.joined).to.equal(false);
      expect(el.status).to.equal('listening');
      expect(part(el, 'avatar-button')!.getAttribute('aria-pressed')).to.equal('false');
      el.disconnect();
    } finally {
      audio.restore();
    }
  });

  it('survives two Agora token lifetimes: fresh credentials from the Worker before each expiry, renewToken, and it still speaks', async () => {
    backend.avatarTokenTtlMs = 1200; // Akool: about 5 minutes
    FakeAgoraRtc.defaults.tokenWarnBeforeMs = 400; // Agora: 30 s before
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const events = record(el);
    await connected(el);
    await started(events);
    const rtc = latestRtc();
    await sleep(2800); // past two lifetimes of the first token
    expect(rtc.expired, 'the token never ran out').to.equal(0);
    expect(rtc.renewals.length).to.be.at.least(2);
    expect(backend.count('/v1/avatar/session/av_1/credentials')).to.equal(rtc.renewals.length);
    expect(rtc.joined).to.equal(true);
    expect(events.filter((e) => e.type === 'fallback')).to.deep.equal([]);
    // Still live on the latest token: the next reply is spoken.
    await backend.latestPeer.play([delta('After the renewal. ', 'resp_r', 'item_r'), responseDone('resp_r')], 1);
    await waitUntil(() => chats(rtc).some((m) => m.pld.text === 'After the renewal.'), 'not sent after the renewal');
    await waitUntil(() => handle(el).state === 'speaking', 'the avatar did not speak', { timeout: 3000 });
    el.disconnect();
    await avatarOff(el, backend);
  });

  it('waits for an avatar Akool starts only for a viewer, up to the Worker’s readyTimeoutMs, then gives up and closes it', async () => {
    FakeAgoraRtc.avatarDefaults.startMs = 1200; // Akool brings the avatar up only once the viewer is in the channel
    backend.avatarReadyTimeoutMs = 2500;
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const events = record(el);
    await connected(el);
    await started(events);
    expect(latestRtc().joins).to.have.length(1);
    el.disconnect();
    await avatarOff(el, backend);

    FakeAgoraRtc.avatarDefaults.publishes = false;
    backend.avatarReadyTimeoutMs = 400;
    const never = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const neverEvents = record(never);
    await connected(never);
    await waitUntil(() => neverEvents.some((e) => e.type === 'fallback'), 'did not give up', { timeout: 4000 });
    expect(neverEvents).to.deep.equal([{ type: 'fallback', reason: 'avatar_not_published' }]);
    await avatarOff(never, backend);
    // The Worker is told (DELETE): it checks Akool and gives the unit back for a session that never ran.
    expect(backend.avatarSessions.get('av_2')!.closedBy).to.equal('delete');
    expect(transcriptTexts(never, 'notice').some((t) => t.includes('did not appear in time'))).to.equal(true);
    never.disconnect();
  });

  it('the fake Agora refuses what Agora refuses: bad or expired tokens, messages over 1 KB, bursts over the rate', async () => {
    const rtc = new FakeAgoraRtc();
    rtc.joinLatencyMs = 0;
    await rtc.join('app', 'ch', 'not-a-token', 7).then(
      () => expect.fail('joined with a bad token'),
      (e: { code: string }) => expect(e.code).to.equal('CAN_NOT_GET_GATEWAY_SERVER'),
    );
    const expired = FakeAgoraTokens.issue('ch', 7, -1);
    await rtc.join('app', 'ch', expired, 7).then(
      () => expect.fail('joined with an expired token'),
      (e: Error) => expect(e.message).to.contain('dynamic key expired'),
    );
    const other = FakeAgoraTokens.issue('other', 7, 60_000);
    await rtc.join('app', 'ch', other, 7).then(
      () => expect.fail('joined another channel'),
      (e: Error) => expect(e.message).to.contain('mismatch'),
    );
    await rtc.join('app', 'ch', FakeAgoraTokens.issue('ch', 7, 60_000), 7);
    await rtc.renewToken(other).then(
      () => expect.fail('renewed with another channel’s token'),
      (e: { code: string }) => expect(e.code).to.equal('INVALID_PARAMS'),
    );
    await rtc.sendStreamMessage(new Uint8Array(1025)).then(
      () => expect.fail('sent 1025 bytes'),
      (e: Error) => expect(e.message).to.equal('AgoraRTCError INVALID_PARAMS: stream message out of range.'),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, () =>
        rtc.sendStreamMessage(new TextEncoder().encode(JSON.stringify({ v: 2, type: 'chat', pad: 'x'.repeat(900) }))),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect(rtc.refused[0]!.reason).to.contain('bytes in one second');
    await rtc.leave();
    const chatty = new FakeAgoraRtc();
    chatty.joinLatencyMs = 0;
    await chatty.join('app', 'ch2', FakeAgoraTokens.issue('ch2', 8, 60_000), 8);
    const small = await Promise.allSettled(
      Array.from({ length: 31 }, () => chatty.sendStreamMessage(new TextEncoder().encode('{}'))),
    );
    expect(small.filter((r) => r.status === 'rejected')).to.have.length(1);
    expect(chatty.refused[0]!.reason).to.contain('31 messages');
    await chatty.leave();
    await chatty.sendStreamMessage(new TextEncoder().encode('{}')).then(
      () => expect.fail('sent after leaving'),
      (e: { code: string }) => expect(e.code).to.equal('INVALID_OPERATION'),
    );
  });

  it('retries a failed create twice, then starts', async () => {
    backend.avatarReplies = [
      workerError(504, 'avatar_timeout', 'not ready'),
      workerError(502, 'avatar_failed', 'failed at Akool'),
    ];
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const events = record(el);
    const errors = recordErrors(el);
    await connected(el);
    await started(events);
    expect(backend.count('/v1/avatar/session')).to.equal(3);
    expect(errors).to.deep.equal([]);
    el.disconnect();
    await avatarOff(el, backend);
  });

  for (const [status, code, says] of [
    [402, 'quota_exceeded', 'limit for the month'],
    [402, 'avatar_credits_exhausted', 'run out of credits'],
    [503, 'avatar_busy', 'busy'],
    [403, 'feature_disabled', 'switched off'],
  ] as const) {
    it(`stops at once on ${status} ${code}, with a message, and the conversation goes on`, async () => {
      backend.avatarReplies = [workerError(status, code, 'from the Worker')];
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
      const events = record(el);
      const errors = recordErrors(el);
      await connected(el);
      await waitUntil(() => events.some((e) => e.type === 'fallback'));
      await sleep(150); // longer than every backoff: no second attempt
      expect(backend.count('/v1/avatar/session')).to.equal(1);
      expect(events).to.deep.equal([{ type: 'fallback', reason: code }]);
      expect(errors.map((e) => e.code)).to.deep.equal([code]);
      expect(errors[0]!.message).to.contain(says);
      expect(transcriptTexts(el, 'notice').some((t) => t.includes(says))).to.equal(true);
      expect(FakeAgoraRtc.instances.every((r) => r.joins.length === 0)).to.equal(true);
      await avatarOff(el, backend);
      expect(part(el, 'avatar-button')!.getAttribute('aria-pressed')).to.equal('false');
      expect(el.status).to.equal('listening');
      el.disconnect();
    });
  }

  it('refuses to start on a device below the performance budget', async () => {
    AvatarHost.overrides = { ...AvatarHost.overrides, readBudget: () => ({ cores: 2, deviceMemoryGb: 8 }) };
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
    const events = record(el);
    await connected(el);
    await waitUntil(() => events.some((e) => e.type === 'fallback'));
    expect(events).to.deep.equal([{ type: 'fallback', reason: 'performance_budget' }]);
    expect(transcriptTexts(el, 'notice').some((t) => t.includes('2 processor cores'))).to.equal(true);
    expect(backend.count('/v1/avatar/session')).to.equal(0);
    el.disconnect();
  });

  it('walks only valid state transitions (strict), and the machine refuses an invalid one', async () => {
    const { startAvatar } = await import('../../widget/avatar/avatar.lazy.ts');
    const container = document.createElement('div');
    document.body.append(container);
    const muted: boolean[] = [];
    const avatar = startAvatar({
      container,
      api: new WorkerApi(new ApiClient(API, 'pk_test')),
      uid: 'v_test',
      muteModel: (m) => muted.push(m),
      notice: () => {},
      createRtc: () => new FakeAgoraRtc(),
      strict: true,
      readBudget: GOOD_DEVICE,
      refused: (code) => !errorPolicy(code).restart,
    });
    const states: string[] = [];
    avatar.on('state', ({ to }) => states.push(to));
    await waitUntil(() => avatar.state === 'ready');
    // What the live session hands the avatar: the assistant's transcript, then the end of the response.
    avatar.onAssistantDelta({ responseId: 'resp_1', itemId: 'item_1', delta: 'One sentence. ', source: 'audio' });
    avatar.onReplyDone('resp_1');
    await waitUntil(() => states.includes('speaking'));
    await avatar.stop();
    expect(states).to.deep.equal(['checking', 'connecting', 'ready', 'thinking', 'speaking', 'closed', 'off']);
    expect(muted).to.deep.equal([true, false]);
    expect(container.childElementCount).to.equal(0);
    container.remove();
    const { AvatarStateMachine, InvalidTransitionError } = await import('../../widget/avatar/state-machine.ts');
    const machine = new AvatarStateMachine({ strict: true, initial: 'ready' });
    expect(() => machine.transition('checking')).to.throw(InvalidTransitionError, 'ready -> checking');
    expect(machine.state).to.equal('ready');
  });

  it('closes the session with a beacon when the page goes away', async () => {
    const beacons: string[] = [];
    const original = navigator.sendBeacon;
    navigator.sendBeacon = (url: string | URL) => {
      beacons.push(String(url));
      void fetch(url, { method: 'POST' });
      return true;
    };
    try {
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} avatar="on"></voice-buddy>`);
      const events = record(el);
      await connected(el);
      await started(events);
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      expect(beacons).to.deep.equal([`${API}/v1/avatar/session/av_1/close?key=pk_test`]);
      await avatarOff(el, backend);
      expect(backend.avatarSessions.get('av_1')!.closedBy).to.equal('beacon');
      expect(latestRtc().joined).to.equal(false);
      el.disconnect();
    } finally {
      navigator.sendBeacon = original;
    }
  });

  it('leaks nothing over 10 on/off cycles', async () => {
    const pagehide = { added: 0, removed: 0 };
    const add = window.addEventListener;
    const remove = window.removeEventListener;
    window.addEventListener = function (
      this: Window,
      type: string,
      ...rest: [EventListenerOrEventListenerObject, unknown?]
    ) {
      if (type === 'pagehide') pagehide.added++;
      return add.call(this, type, ...(rest as [EventListenerOrEventListenerObject]));
    } as typeof window.addEventListener;
    window.removeEventListener = function (
      this: Window,
      type: string,
      ...rest: [EventListenerOrEventListenerObject, unknown?]
    ) {
      if (type === 'pagehide') pagehide.removed++;
      return remove.call(this, type, ...(rest as [EventListenerOrEventListenerObject]));
    } as typeof window.removeEventListener;
    try {
      const el = await mount();
      const events = record(el);
      await connected(el);
      for (let i = 1; i <= 10; i++) {
        part<HTMLButtonElement>(el, 'avatar-button')!.click();
        await started(events, i);
        await backend.latestPeer.play([delta(`Cycle ${i}. `, `r${i}`, `i${i}`), responseDone(`r${i}`)], 1);
        part<HTMLButtonElement>(el, 'avatar-button')!.click();
        await avatarOff(el, backend);
      }
      expect(FakeAgoraRtc.instances).to.have.length(10);
      expect(
        FakeAgoraRtc.instances.filter((r) => r.joined),
        'joined clients',
      ).to.have.length(0);
      expect(
        FakeAgoraRtc.instances.map((r) => r.liveTracks()),
        'live video tracks',
      ).to.deep.equal(Array(10).fill(0));
      expect(
        FakeAgoraRtc.instances.map((r) => r.listenerCount()),
        'SDK listeners left',
      ).to.deep.equal(Array(10).fill(0));
      expect(FakeAgoraRtc.instances.every((r) => r.leaves === 1)).to.equal(true);
      expect(
        [...backend.avatarSessions.values()].filter((s) => s.closedBy !== 'delete'),
        'sessions not DELETEd',
      ).to.deep.equal([]);
      expect(backend.avatarSessions.size).to.equal(10);
      // One a cycle for the avatar, and the conversation's own (one an element, held while it is on the page).
      expect(pagehide).to.deep.equal({ added: 11, removed: 10 });
      expect(part(el, 'avatar')!.childElementCount, 'the container is empty').to.equal(0);
      expect(el.status).to.equal('listening');
      el.disconnect();
    } finally {
      window.addEventListener = add;
      window.removeEventListener = remove;
    }
  });

  it('with the REAL Agora SDK and no network: audio only once the join budget is spent, and the conversation goes on', async () => {
    // No fake: agora.ts and agora-rtc-sdk-ng load. A shorter budget than the product's keeps the test quick.
    const budget = 2500;
    AvatarHost.overrides = { strict: true, readBudget: GOOD_DEVICE, joinTimeoutMs: budget };
    const audio = captureAudioElements();
    try {
      const el = await mount();
      const events = record(el);
      await connected(el);
      const t0 = performance.now();
      part<HTMLButtonElement>(el, 'avatar-button')!.click();
      await waitUntil(() => events.some((e) => e.type === 'fallback'), 'the widget did not give up on the avatar', {
        timeout: budget + 3500,
      });
      const elapsed = performance.now() - t0;
      expect(elapsed, `fell back after ${Math.round(elapsed)} ms`).to.be.below(budget + 1500);
      expect(events.some((e) => e.type === 'started')).to.equal(false);
      expect((events.at(-1) as { reason: string }).reason).to.match(/^avatar_join_(timeout|failed)$/);
      expect(
        avatarResources().some((u) => u.includes('agora-rtc-sdk-ng')),
        'the real SDK was loaded on demand',
      ).to.equal(true);
      expect(el.status).to.equal('listening');
      expect(audio.elements.at(-1)!.muted).to.equal(false);
      await avatarOff(el, backend);
      expect(backend.avatarSessions.get('av_1')!.closedBy).to.equal('delete');
      // A turn still works.
      await backend.latestPeer.play(turnEvents(), 1);
      await waitUntil(() => transcriptTexts(el, 'assistant').includes('A wolf on the forearm sounds great.'));
      await waitUntil(() => el.status === 'listening');
      el.disconnect();
    } finally {
      audio.restore();
    }
  });
});
