import { expect, waitUntil } from '@open-wc/testing';
import { FakeBackend } from './fakes/backend.ts';
import { turnEvents } from './fakes/openai-peer.ts';
import { connected, mount, part } from './helpers.ts';
import { trackResources } from './resources.ts';

describe('lifecycle and resources', () => {
  let backend: FakeBackend;
  let resources: ReturnType<typeof trackResources>;
  beforeEach(() => {
    backend = new FakeBackend().install();
    resources = trackResources();
  });
  afterEach(() => {
    resources.restore();
    backend.uninstall();
  });

  it('ends the conversation as the page goes, into the back/forward cache too: nothing stays open for nobody', async () => {
    const el = await mount();
    await connected(el);
    expect(resources.live().peers).to.equal(1);
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(el.status).to.equal('idle');
    await waitUntil(
      () => resources.live().peers === 0 && resources.live().tracks === 0,
      'the call or the mic stayed open',
    );
  });

  it('leaves no live track, peer connection or audio context after 10 connect/disconnect cycles', async () => {
    const el = await mount();
    for (let i = 0; i < 10; i++) {
      await connected(el);
      await backend.latestPeer.play(turnEvents({ userItem: `u${i}`, assistantItem: `a${i}`, responseId: `r${i}` }), 1);
      el.disconnect();
      backend.latestPeer.close();
    }
    await waitUntil(() => resources.live().contexts === 0, 'audio contexts left open', { timeout: 3000 });
    expect(resources.peers).to.have.length(10);
    expect(resources.tracks.length).to.be.at.least(10);
    expect(resources.live()).to.deep.equal({ peers: 0, contexts: 0, tracks: 0 });
    // The transcript survives disconnects.
    expect(el.transcript.filter((e) => e.kind === 'assistant')).to.have.length(10);
  });

  it('releases everything when the element is removed from the page mid-conversation', async () => {
    const el = await mount();
    await connected(el);
    expect(resources.live().tracks).to.equal(1);
    el.remove();
    await waitUntil(() => resources.live().contexts === 0, 'audio context left open', { timeout: 3000 });
    expect(resources.live()).to.deep.equal({ peers: 0, contexts: 0, tracks: 0 });
  });

  it('prewarms the key on hover so the click costs one round trip fewer', async () => {
    const el = await mount();
    const button = part<HTMLButtonElement>(el, 'connect-button')!;
    button.dispatchEvent(new PointerEvent('pointerenter'));
    await waitUntil(() => backend.count('/v1/realtime/session') === 1, 'no prewarm request');
    button.dispatchEvent(new PointerEvent('pointerenter'));
    button.focus();
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.count('/v1/realtime/session'), 'hovering again reuses the key').to.equal(1);
    button.click();
    await waitUntil(() => el.status === 'listening');
    expect(backend.count('/v1/realtime/session'), 'the click used the prewarmed key').to.equal(1);
    // The hover prepared the offer too: the click used that peer connection, with the microphone's track in it.
    expect(resources.peers, 'one peer connection: the prepared one').to.have.length(1);
    const sender = resources.peers[0]!.getSenders().find((s) => s.track?.kind === 'audio');
    expect(sender?.track?.readyState).to.equal('live');
    const offer = backend.requests.find((r) => new URL(r.url).pathname === '/v1/realtime/calls')!.body;
    expect(offer).to.match(/^v=0/);
    expect(offer).to.match(/a=candidate:/m, 'gathered while the visitor hovered');
    el.disconnect();
    expect(resources.live().peers).to.equal(0);
  });

  it('a prepared offer that is never used is closed with the conversation', async () => {
    const el = await mount();
    part<HTMLButtonElement>(el, 'connect-button')!.dispatchEvent(new PointerEvent('pointerenter'));
    await waitUntil(() => resources.peers.length === 1, 'the hover prepared no offer');
    el.remove();
    await waitUntil(() => resources.live().peers === 0, 'the prepared peer connection stayed open');
  });

  it('does not use a prewarmed key that is about to expire', async () => {
    backend.expiresInSeconds = 20; // inside the 30 s margin
    const el = await mount();
    part<HTMLButtonElement>(el, 'connect-button')!.dispatchEvent(new PointerEvent('pointerenter'));
    await waitUntil(() => backend.count('/v1/realtime/session') === 1);
    await connected(el);
    expect(backend.count('/v1/realtime/session')).to.equal(2);
    el.disconnect();
  });

  it('offers "tap to turn on sound" when autoplay is blocked, and plays on tap', async () => {
    const originalPlay = HTMLMediaElement.prototype.play;
    let blocked = true;
    let plays = 0;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      plays++;
      return blocked ? Promise.reject(new DOMException('autoplay', 'NotAllowedError')) : originalPlay.call(this);
    };
    try {
      const el = await mount();
      await connected(el);
      await waitUntil(() => part(el, 'sound-button') !== null, 'no sound button');
      blocked = false;
      part<HTMLButtonElement>(el, 'sound-button')!.click();
      await waitUntil(() => part(el, 'sound-button') === null, 'sound button stayed');
      expect(plays).to.be.at.least(2);
      el.disconnect();
    } finally {
      HTMLMediaElement.prototype.play = originalPlay;
    }
  });
});
