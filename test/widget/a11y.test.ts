// axe-core (through @open-wc/testing's chai-a11y-axe) over the widget's states and themes, and the announcements a
// screen reader hears for new concepts. Visual states are checked by assertions, never by pixels.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { emptyKeywords } from '../../widget/keywords/types.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend, workerError } from './fakes/backend.ts';
import { turnEvents } from './fakes/openai-peer.ts';
import { connected, mount, part, withConcepts } from './helpers.ts';

// A real image, so the gallery renders as it does with a generation's output.
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function withDesign(el: VoiceBuddy) {
  const keywords = {
    ...emptyKeywords(),
    subject: ['wolf'],
    style: ['fine-line'],
    placement: 'forearm',
    exclude: ['red'],
  };
  withConcepts(el, keywords, [PIXEL, PIXEL, PIXEL], (n) => `Concept ${n}: a fine-line wolf`);
}

const variants = {
  light: html`<voice-buddy key="pk_test" api-base=${API}></voice-buddy>`,
  dark: html`<voice-buddy key="pk_test" api-base=${API} theme="dark"></voice-buddy>`,
  floating: html`<voice-buddy key="pk_test" api-base=${API} variant="floating" open></voice-buddy>`,
  rtl: html`<div dir="rtl" lang="ar"><voice-buddy key="pk_test" api-base=${API}></voice-buddy></div>`,
};

describe('accessibility: axe in every state', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  const el = async (variant: keyof typeof variants) => {
    if (variant !== 'rtl') return mount(variants[variant]);
    const page = await fixture<HTMLElement>(variants.rtl);
    return page.querySelector<VoiceBuddy>('voice-buddy')!;
  };

  for (const variant of Object.keys(variants) as Array<keyof typeof variants>) {
    it(`${variant}: idle, live with a reply, chips and concepts`, async () => {
      const w = await el(variant);
      await waitUntil(() => w.store.$config.get());
      await expect(w).to.be.accessible();
      await connected(w);
      await backend.latestPeer.play(turnEvents());
      await waitUntil(() => w.transcript.length >= 2);
      await expect(w).to.be.accessible();
      withDesign(w);
      await waitUntil(() => part(w, 'gallery')?.shadowRoot?.querySelectorAll('[part~="concept"]').length === 3);
      await expect(w).to.be.accessible();
      w.disconnect();
    });
  }

  it('connecting', async () => {
    backend.sessionReplies.push(() => new Promise(() => {}) as never); // the session request never answers
    const w = await mount();
    void w.connect();
    await waitUntil(() => w.status === 'connecting');
    await w.updateComplete;
    await expect(w).to.be.accessible();
  });

  for (const theme of ['light', 'dark'])
    it(`error, ${theme}`, async () => {
      backend.bootstrapReply = workerError(403, 'origin_not_allowed', 'Origin https://x is not on the allowlist');
      const w = await mount(html`<voice-buddy key="pk_test" api-base=${API} theme=${theme}></voice-buddy>`);
      await waitUntil(() => part(w, 'error'));
      await expect(w).to.be.accessible();
    });

  it('floating and closed: the launcher alone', async () => {
    const w = await mount(html`<voice-buddy key="pk_test" api-base=${API} variant="floating"></voice-buddy>`);
    expect(part(w, 'panel')!.hidden).to.equal(true);
    await expect(w).to.be.accessible();
  });

  it('announces new concepts once, with how many arrived', async () => {
    const w = await mount();
    const region = w.shadowRoot!.querySelector('[aria-live="polite"]')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(region.textContent.trim())).observe(region, {
      subtree: true,
      characterData: true,
      childList: true,
    });
    withDesign(w);
    await waitUntil(() => said.includes('3 new concepts are ready'), `said: ${said.join(' | ')}`);
    w.store.$generations.set([...w.store.$generations.get()]);
    await new Promise((r) => setTimeout(r, 50));
    expect(said.filter((t) => t.includes('new concepts'))).to.have.length(1);
  });

  it('honours prefers-reduced-motion: the meter and the progress bar do not animate', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      const w = await mount();
      await connected(w);
      const meter = w.shadowRoot!.querySelector('.meter > span')!;
      expect(getComputedStyle(meter).transitionDuration).to.equal('0s');
      w.disconnect();
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });
});
