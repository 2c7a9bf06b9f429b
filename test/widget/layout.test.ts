// The panel's layout as a visitor meets it: the conversation keeps half the panel, the design area folds into a
// summary row, a phone gets a full-screen panel, and a closed launcher shows a conversation that is still live.
// Asserted on boxes and computed styles, never on pixels.
import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { emptyKeywords } from '../../widget/keywords/types.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend } from './fakes/backend.ts';
import { connected, mount, part, withConcepts } from './helpers.ts';

const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function withDesign(el: VoiceBuddy) {
  const keywords = {
    ...emptyKeywords(),
    subject: ['wolf', 'moon'],
    style: ['fine-line'],
    placement: 'forearm',
    colors: ['black'],
  };
  withConcepts(el, keywords, [PIXEL, PIXEL, PIXEL], () => 'x');
}

const rect = (e: Element) => e.getBoundingClientRect();

describe('layout', () => {
  let backend: FakeBackend;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    await setViewport({ width: 1280, height: 800 });
  });
  afterEach(async () => {
    backend.uninstall();
    await setViewport({ width: 1280, height: 800 });
  });

  it("a generation's progress re-renders the gallery, not the panel; a new concept updates the summary row", async () => {
    const el = await mount();
    withDesign(el);
    const running = { ...el.store.$generations.get()[0]!, id: 'g2', status: 'running' as const, percent: 0 };
    el.store.$generations.set([...el.store.$generations.get(), { ...running, concepts: [] }]);
    await el.updateComplete;
    el.store.updateGeneration('g2', () => ({ percent: 40, stage: 'rendering' }));
    expect(el.isUpdatePending, 'a progress tick leaves the panel alone').to.be.false;
    el.store.updateGeneration('g2', () => ({ concepts: [{ index: 0, imageUrl: PIXEL, alt: 'y' }] }));
    expect(el.isUpdatePending, 'a new concept changes the summary row').to.be.true;
    await el.updateComplete;
    expect(part(el, 'design-summary')!.textContent).to.contain('4');
  });

  it('the conversation keeps at least half the panel when chips and concepts are shown', async () => {
    const el = await mount();
    el.style.width = '380px';
    withDesign(el);
    // The gallery is defined lazily, with the first concepts: until then it has no shadow root.
    await waitUntil(() => part(el, 'gallery')!.shadowRoot?.querySelectorAll('[part~="concept"]').length === 3);
    await el.updateComplete;
    const panel = rect(part(el, 'panel')!);
    expect(rect(part(el, 'transcript')!).height).to.be.at.least(panel.height / 2 - 1);
    const design = el.shadowRoot!.querySelector<HTMLElement>('.design')!;
    expect(rect(design).bottom, 'the design area stays inside the panel').to.be.at.most(panel.bottom);
  });

  it('on a wide panel the buttons and the text row share one row; on a narrow one the text row wraps', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    el.style.width = '900px';
    await el.updateComplete;
    const middle = (e: Element) => (rect(e).top + rect(e).bottom) / 2;
    const start = part(el, 'connect-button')!;
    const input = part(el, 'text-input')!;
    expect(Math.abs(middle(start) - middle(input)), 'one row').to.be.below(4);
    expect(rect(input).width, 'the text row takes the rest of the row').to.be.above(500);
    el.style.width = '300px';
    await new Promise(requestAnimationFrame);
    expect(rect(input).top, 'the text row goes under the buttons').to.be.at.least(rect(start).bottom);
    expect(rect(input).right, 'and stays inside the panel').to.be.at.most(rect(part(el, 'panel')!).right);
  });

  it('the design area folds into a summary row and opens again', async () => {
    const el = await mount();
    withDesign(el);
    await el.updateComplete;
    const summary = part<HTMLButtonElement>(el, 'design-summary')!;
    expect(summary.textContent).to.contain('wolf · moon · fine-line · forearm');
    expect(summary.textContent).to.contain('3 concepts');
    expect(summary.getAttribute('aria-expanded')).to.equal('true');
    const design = el.shadowRoot!.querySelector<HTMLElement>('.design')!;
    const before = rect(part(el, 'transcript')!).height;
    summary.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(summary.getAttribute('aria-expanded')).to.equal('false');
    expect(getComputedStyle(design).display).to.equal('none');
    expect(rect(part(el, 'transcript')!).height, 'the conversation takes the room').to.be.greaterThan(before);
    summary.click();
    await el.updateComplete;
    expect(getComputedStyle(design).display).not.to.equal('none');
  });

  it('no summary row while there is nothing to design yet', async () => {
    const el = await mount();
    expect(part(el, 'design-summary')).to.equal(null);
  });

  it('on a phone the open floating panel is full-screen, with a close button', async () => {
    await setViewport({ width: 390, height: 844 });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} variant="floating"></voice-buddy>`);
    part<HTMLButtonElement>(el, 'launcher')!.click();
    await el.updateComplete;
    const panel = rect(part(el, 'panel')!);
    expect([panel.left, panel.top, panel.width, panel.height]).to.deep.equal([0, 0, 390, 844]);
    const close = part<HTMLButtonElement>(el, 'close-button')!;
    expect(rect(close).right).to.be.at.most(390);
    close.click();
    await el.updateComplete;
    expect(part(el, 'panel')!.hidden).to.equal(true);
    await waitUntil(
      () => el.shadowRoot!.activeElement === part(el, 'launcher'),
      'focus did not return to the launcher',
    );
  });

  it('on a desktop the floating panel stays a panel beside its launcher', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} variant="floating" open></voice-buddy>`);
    const panel = rect(part(el, 'panel')!);
    expect(panel.width).to.be.at.most(380);
    expect(getComputedStyle(part(el, 'launcher')!).display).not.to.equal('none');
  });

  it('a closed launcher shows a live conversation, says so, and can end it', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} variant="floating" open></voice-buddy>`);
    const launcher = part<HTMLButtonElement>(el, 'launcher')!;
    expect(launcher.hasAttribute('data-live')).to.equal(false);
    const idleShadow = getComputedStyle(launcher).boxShadow;
    await connected(el);
    launcher.click();
    await el.updateComplete;
    expect(launcher.dataset.live).to.equal('mic');
    expect(launcher.getAttribute('aria-label')).to.contain('conversation in progress, microphone on');
    expect(getComputedStyle(launcher).boxShadow).not.to.equal(idleShadow);
    const end = part<HTMLButtonElement>(el, 'launcher-end')!;
    expect(end.getAttribute('aria-label')).to.equal('End conversation');
    end.click();
    await waitUntil(() => el.status === 'idle');
    await el.updateComplete;
    expect(part(el, 'launcher-end')).to.equal(null);
    expect(launcher.hasAttribute('data-live')).to.equal(false);
  });
});
