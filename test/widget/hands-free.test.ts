import { expect, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { API, FakeBackend } from './fakes/backend.ts';
import { turnEvents } from './fakes/openai-peer.ts';
import { connected, mount, part, recordStatuses, transcriptTexts } from './helpers.ts';

describe('hands-free over WebRTC', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('makes one bootstrap request at start-up and shows the branding', async () => {
    const el = await mount();
    expect(backend.count('/v1/bootstrap')).to.equal(1);
    expect(part(el, 'title')!.textContent).to.equal('Ink & Iron');
    expect(part(el, 'transcript')!.shadowRoot!.textContent).to.contain('Hi! What shall we design?');
    expect(backend.requests[0]!.headers.get('x-voice-buddy-key')).to.equal('pk_test');
    expect(new URL(backend.requests[0]!.url).searchParams.get('uid')).to.match(/^v_/);
  });

  it('connects, shows both sides of the conversation, the status sequence, usage and rate limits', async () => {
    const el = await mount();
    const statuses = recordStatuses(el);
    await connected(el);
    const peer = backend.latestPeer;
    // The offer went to the Worker's callsUrl as SDP with the single-use ticket (no OpenAI key in the page).
    const calls = backend.requests.find((r) => new URL(r.url).pathname === '/v1/realtime/calls')!;
    expect(new URL(calls.url).origin).to.equal(API);
    expect(calls.headers.get('authorization')).to.match(/^Bearer call-ticket-/);
    expect(calls.headers.get('content-type')).to.equal('application/sdp');
    expect(calls.body.startsWith('v=0')).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="connect-button"]')!.textContent).to.contain('End conversation');

    await peer.play(turnEvents());
    await waitUntil(() => el.usage.totalTokens === 321, 'usage not counted');
    expect(transcriptTexts(el, 'user')).to.deep.equal(['I want a wolf on my forearm']);
    expect(transcriptTexts(el, 'assistant')).to.deep.equal(['A wolf on the forearm sounds great.']);
    expect(el.transcript.every((e) => e.final)).to.equal(true);
    expect(el.usage).to.include({
      inputTokens: 200,
      outputTokens: 121,
      totalTokens: 321,
      audioInputTokens: 150,
      audioOutputTokens: 100,
      responses: 1,
    });
    expect(statuses).to.include.members(['idle', 'connecting', 'listening', 'thinking', 'speaking']);
    expect(statuses.indexOf('connecting')).to.be.lessThan(statuses.indexOf('listening'));
    expect(statuses.lastIndexOf('speaking')).to.be.lessThan(statuses.lastIndexOf('listening'));
    expect(el.status).to.equal('listening');
    // Visitors see the state in words; the owner view (the site's setting, or the attribute) adds the figures.
    const pill = () => part(el, 'status')!.shadowRoot!.textContent.replace(/\s+/g, ' ').trim();
    expect(pill()).to.equal('Listening');
    expect(part(el, 'model-select')).to.equal(null);
    el.setAttribute('owner-view', 'on');
    await el.updateComplete;
    await part<LitElement>(el, 'status')!.updateComplete;
    expect(pill()).to.contain('321 tokens');
    expect(pill()).to.contain('requests 998/1,000 left');
    expect(pill()).to.contain('tokens 49,679/50,000 left');
    expect(part(el, 'model-select')).to.exist;
    el.removeAttribute('owner-view');
    backend.config = { ...backend.config, ownerView: true };
    el.store.$config.set(backend.config);
    await el.updateComplete;
    await part<LitElement>(el, 'status')!.updateComplete;
    expect(pill()).to.contain('321 tokens');

    // A server error event is shown as a notice written for people and reported with its code; the session goes on.
    const errors: Array<{ code: string; message: string }> = [];
    el.addEventListener('voice-buddy-error', (e) => errors.push(e.detail));
    peer.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: 'Something was off',
        param: null,
        event_id: null,
      },
    });
    await waitUntil(() => errors.length === 1);
    expect(errors.map((e) => e.code)).to.deep.equal(['invalid_value']);
    expect(transcriptTexts(el, 'notice')).to.include(errors[0]!.message);
    expect(transcriptTexts(el, 'notice').join(' ')).not.to.contain('Something was off');
    expect(el.status).to.equal('listening');
    el.disconnect();
    expect(el.status).to.equal('idle');
  });

  it('plays the model audio track', async () => {
    const played: MediaStream[] = [];
    const originalPlay = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (this.srcObject instanceof MediaStream) played.push(this.srcObject);
      return originalPlay.call(this);
    };
    try {
      const el = await mount();
      await connected(el);
      await waitUntil(() => played.length > 0, 'remote audio never played');
      expect(played[0]!.getAudioTracks()[0]!.readyState).to.equal('live');
      el.disconnect();
    } finally {
      HTMLMediaElement.prototype.play = originalPlay;
    }
  });

  it('barges in while the assistant speaks: response.cancel then output_audio_buffer.clear', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await peer.play([
      {
        type: 'response.created',
        response: { id: 'resp_9', object: 'realtime.response', status: 'in_progress', output: [] },
      },
      { type: 'output_audio_buffer.started', response_id: 'resp_9' },
      {
        type: 'response.output_audio_transcript.delta',
        response_id: 'resp_9',
        item_id: 'item_a',
        output_index: 0,
        content_index: 0,
        delta: 'Let me tell you about',
      },
    ]);
    await waitUntil(() => el.status === 'speaking');
    peer.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 10, item_id: 'item_u2' });
    await peer.nextReceived('output_audio_buffer.clear');
    const types = peer.received.map((e) => e.type);
    expect(types.indexOf('response.cancel')).to.be.greaterThan(-1);
    expect(types.indexOf('response.cancel')).to.be.lessThan(types.indexOf('output_audio_buffer.clear'));
    await waitUntil(() => el.status === 'listening');
    el.disconnect();
  });

  it('sends typed text as a conversation item and asks for a response', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    const input = part<HTMLInputElement>(el, 'text-input')!;
    input.value = 'make it a small wolf';
    part<HTMLButtonElement>(el, 'send-button')!.click();
    const item = (await peer.nextReceived('conversation.item.create')) as {
      item: { role: string; content: Array<{ type: string; text: string }> };
    };
    expect(item.item.role).to.equal('user');
    expect(item.item.content[0]).to.deep.equal({ type: 'input_text', text: 'make it a small wolf' });
    await peer.nextReceived('response.create');
    expect(transcriptTexts(el, 'user')).to.include('make it a small wolf');
    expect(input.value).to.equal('');
    el.disconnect();
  });

  it('mutes the microphone track', async () => {
    const el = await mount();
    await connected(el);
    const sender = backend.latestPeer.pc!.getTransceivers()[0]!;
    expect(sender).to.exist;
    part<HTMLButtonElement>(el, 'mute-button')!.click();
    await el.updateComplete;
    expect(part(el, 'mute-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(el.store.$muted.get()).to.equal(true);
    el.disconnect();
  });
});
