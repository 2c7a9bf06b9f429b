// The concept viewer in real Chromium: opened from a thumbnail, moved by buttons, keys and a real mouse swipe (also
// right to left), its caption, "Use this design" with and without a host taking over, the download link, focus,
// Escape, axe, and its layout on a phone and a desktop (by geometry and computed styles, never by pixels).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, resetMouse, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { Keywords } from '../../widget/keywords/types.ts';
import type { SelectDetail, VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend } from './fakes/backend.ts';
import { connected, mount, part, withConcepts as withGeneration, WOLF_KEYWORDS } from './helpers.ts';

const KEYWORDS: Keywords = WOLF_KEYWORDS;
const CAPTION = 'A small fine-line wolf with a moon, in black and grey, for the forearm. Feels dark. No red.';

/** Three different images, so the test can tell which one is shown. */
const svgOf = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="600" height="800" fill="${fill}"/>` +
  '</svg>';
const card = (fill: string) => `data:image/svg+xml;base64,${btoa(svgOf(fill))}`;
const IMAGES = [card('#c0392b'), card('#2e6fd8'), card('#2f9e5b')];

function withConcepts(el: VoiceBuddy, urls: readonly string[] = IMAGES) {
  withGeneration(el, KEYWORDS, urls, (n) => `Concept ${n} of 3, badge: a wolf`);
}

const gallery = (el: VoiceBuddy) => part(el, 'gallery')!.shadowRoot!;
const viewer = (el: VoiceBuddy) => gallery(el).querySelector('voice-buddy-concept-viewer')!.shadowRoot!;
const inViewer = <T extends Element = HTMLElement>(el: VoiceBuddy, name: string) =>
  viewer(el).querySelector<T>(`[part~="${name}"]`);
const dialog = (el: VoiceBuddy) => viewer(el).querySelector('dialog')!;
// The gallery is defined lazily, with the first concepts: until then it has no shadow root (and no thumbnails).
const thumbs = (el: VoiceBuddy) => [
  ...(part(el, 'gallery')!.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="concept"]') ?? []),
];
const shown = (el: VoiceBuddy) => IMAGES.indexOf(inViewer<HTMLImageElement>(el, 'viewer-image')!.getAttribute('src')!);
const position = (el: VoiceBuddy) => inViewer(el, 'viewer-position')!.textContent.trim();
const announced = (el: VoiceBuddy) => viewer(el).querySelector('[role="status"]')!.textContent.trim();

/** The focused element, through the shadow roots. */
function focused(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Opens concept `i` as a keyboard user does: focus its thumbnail, press Enter. */
async function openAt(el: VoiceBuddy, i: number) {
  await waitUntil(() => thumbs(el).length === IMAGES.length, 'thumbnails did not render');
  thumbs(el)[i]!.focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => dialog(el).open, 'viewer did not open');
  await settled(el);
}

/** The opening fade ends first: geometry and axe's colour checks read the dialog at rest. */
async function settled(el: VoiceBuddy) {
  await Promise.all(
    dialog(el)
      .getAnimations({ subtree: true })
      .map((a) => a.finished),
  );
}

/** A real mouse drag across the image, `dx` pixels along the line (negative: leftwards). */
async function swipe(el: VoiceBuddy, dx: number, dy = 0) {
  const box = inViewer(el, 'viewer-stage')!.getBoundingClientRect();
  const [x, y] = [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
  await sendMouse({ type: 'move', position: [x - dx / 2, y - dy / 2] });
  await sendMouse({ type: 'down' });
  await sendMouse({ type: 'move', position: [x, y] });
  await sendMouse({ type: 'move', position: [x + dx / 2, y + dy / 2] });
  await sendMouse({ type: 'up' });
}

const rtlPage = html`<div dir="rtl" lang="ar"><voice-buddy key="pk_test" api-base=${API}></voice-buddy></div>`;

describe('concept viewer', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(async () => {
    backend.uninstall();
    await resetMouse();
  });

  it('opens from a thumbnail with focus inside, names its position, captions from the keywords; Escape', async () => {
    const el = await mount();
    withConcepts(el);
    await openAt(el, 1);
    expect(viewer(el).contains(focused()), 'focus moved into the viewer').to.equal(true);
    expect(shown(el)).to.equal(1);
    expect(position(el)).to.equal('Concept 2 of 3');
    const d = dialog(el);
    expect(viewer(el).getElementById(d.getAttribute('aria-labelledby')!)!.textContent).to.equal('Concept 2 of 3');
    expect(inViewer(el, 'viewer-caption')!.textContent).to.equal(CAPTION);
    expect(viewer(el).getElementById(d.getAttribute('aria-describedby')!)).to.equal(inViewer(el, 'viewer-caption'));
    expect(inViewer(el, 'viewer-caption')!.textContent, 'not the raw alt text').not.to.contain('badge');
    expect(announced(el), 'the name says it on open; the live region only after a move').to.equal('');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !d.open, 'Escape did not close the viewer');
    await waitUntil(() => focused() === thumbs(el)[1], 'focus did not go back to the thumbnail');
  });

  it('moves by the buttons and the arrow keys, wrapping around at both ends, and announces the position', async () => {
    const el = await mount();
    withConcepts(el);
    await openAt(el, 0);
    inViewer(el, 'viewer-next')!.click();
    await waitUntil(() => shown(el) === 1, 'Next did not go on');
    expect([position(el), announced(el)]).to.deep.equal(['Concept 2 of 3', 'Concept 2 of 3']);
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => shown(el) === 0, 'ArrowRight from the last did not wrap to the first');
    expect(announced(el)).to.equal('Concept 1 of 3');
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => shown(el) === 2, 'ArrowLeft from the first did not wrap to the last');
    inViewer(el, 'viewer-previous')!.click();
    await waitUntil(() => shown(el) === 1);
    expect(position(el)).to.equal('Concept 2 of 3');
  });

  it('a swipe leftwards shows the next concept, rightwards the previous; short or vertical drags not', async () => {
    const el = await mount();
    withConcepts(el);
    await openAt(el, 0);
    await swipe(el, -160);
    await waitUntil(() => shown(el) === 1, 'a leftward swipe did not go on');
    await swipe(el, 160);
    await waitUntil(() => shown(el) === 0, 'a rightward swipe did not go back');
    await swipe(el, -20);
    await swipe(el, -60, 200);
    await new Promise((r) => setTimeout(r, 50));
    expect(shown(el)).to.equal(0);
    expect(dialog(el).open, 'a drag inside is not a backdrop click').to.equal(true);
  });

  it('right to left: the arrow keys, the swipe and the chevrons mirror', async () => {
    const page = await fixture<HTMLElement>(rtlPage);
    const el = page.querySelector<VoiceBuddy>('voice-buddy')!;
    await waitUntil(() => el.store.$config.get());
    withConcepts(el);
    await openAt(el, 0);
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => shown(el) === 1, 'ArrowLeft did not go on in RTL');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => shown(el) === 0, 'ArrowRight did not go back in RTL');
    await swipe(el, 160);
    await waitUntil(() => shown(el) === 1, 'a rightward swipe did not go on in RTL');
    const next = inViewer(el, 'viewer-next')!.getBoundingClientRect();
    const previous = inViewer(el, 'viewer-previous')!.getBoundingClientRect();
    expect(next.left, 'next sits on the left in RTL').to.be.below(previous.left);
    const scale = (name: string) => getComputedStyle(inViewer(el, name)!.querySelector('svg')!).scale;
    const scales = [scale('viewer-next'), scale('viewer-previous')];
    expect(scales, 'next points left, previous right').to.deep.equal(['-1 1', '1']);
    // An English caption on an Arabic page runs left to right, its full stop at its end.
    expect(getComputedStyle(inViewer(el, 'viewer-caption')!).direction).to.equal('ltr');
    await expect(el).to.be.accessible();
  });

  it('Use this design: fires voice-buddy-select, closes, and tells the assistant as the visitor', async () => {
    const el = await mount();
    await connected(el);
    withConcepts(el);
    const selected: SelectDetail[] = [];
    el.addEventListener('voice-buddy-select', (e) => {
      expect(e.cancelable && e.bubbles && e.composed).to.equal(true);
      selected.push(e.detail);
    });
    await openAt(el, 1);
    inViewer(el, 'select-button')!.click();
    expect(selected).to.have.length(1);
    expect(selected[0]!.generationId).to.equal('gen_1');
    expect(selected[0]!.concept).to.deep.equal(el.store.$generations.get()[0]!.concepts[1]);
    expect(selected[0]!.keywords).to.deep.equal(KEYWORDS);
    await waitUntil(() => !dialog(el).open, 'the viewer stayed open');
    const message =
      "I'd like to use concept 2: a small fine-line wolf with a moon, in black and grey, for the " + 'forearm.';
    const item = await backend.latestPeer.nextReceived('conversation.item.create');
    expect(item).to.deep.include({ type: 'conversation.item.create' });
    expect((item as { item: { role: string; content: Array<{ text: string }> } }).item.role).to.equal('user');
    expect((item as { item: { content: Array<{ text: string }> } }).item.content[0]!.text).to.equal(message);
    await backend.latestPeer.nextReceived('response.create');
    expect(el.transcript.some((e) => e.kind === 'user' && e.text === message)).to.equal(true);
    await waitUntil(() => focused() === thumbs(el)[1], 'focus did not go back to the thumbnail');
    el.disconnect();
  });

  it('a host that calls preventDefault() takes over: nothing is said to the assistant', async () => {
    const el = await mount();
    await connected(el);
    withConcepts(el);
    el.addEventListener('voice-buddy-select', (e) => e.preventDefault());
    await openAt(el, 0);
    const before = backend.latestPeer.received.length;
    inViewer(el, 'select-button')!.click();
    await waitUntil(() => !dialog(el).open, 'the viewer stayed open');
    await new Promise((r) => setTimeout(r, 150));
    expect(backend.latestPeer.received.slice(before).map((e) => e.type)).to.deep.equal([]);
    expect(el.transcript.filter((e) => e.kind === 'user')).to.have.length(0);
    el.disconnect();
  });

  it('downloads a data: or same-origin image by a readable name; cross-origin without CORS: a new tab', async () => {
    const el = await mount();
    const sameOrigin = new URL('/test/fixtures/concept.svg', location.href).href;
    const other = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
    const crossOrigin = sameOrigin.replace(`//${location.hostname}`, `//${other}`);
    withConcepts(el, [IMAGES[0]!, sameOrigin, crossOrigin]);
    await openAt(el, 0);
    const link = () => inViewer<HTMLAnchorElement>(el, 'download-link')!;
    expect(link().getAttribute('href')).to.equal(IMAGES[0]);
    expect(link().getAttribute('download')).to.equal('wolf-moon-concept-1.svg');
    expect(link().textContent.trim()).to.equal('Download');

    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => link().href.startsWith('blob:'), 'the same-origin image was not fetched into a blob');
    expect(link().getAttribute('download')).to.equal('wolf-moon-concept-2.svg');
    expect(link().hasAttribute('target')).to.equal(false);
    const blob = await (await fetch(link().href)).text();
    expect(blob).to.contain('<svg');

    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => link().getAttribute('href') === crossOrigin);
    await new Promise((r) => setTimeout(r, 300)); // the CORS fetch fails meanwhile
    expect(link().hasAttribute('download')).to.equal(false);
    expect(link().target).to.equal('_blank');
    expect(link().rel.split(' ')).to.include('noopener');
    expect(link().textContent.replace(/\s+/g, ' ').trim()).to.equal('Open image (opens in a new tab)');
  });

  it('is axe-clean open, in light and dark, and its colours follow the theme', async () => {
    for (const theme of ['light', 'dark']) {
      const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} theme=${theme}></voice-buddy>`);
      withConcepts(el);
      await openAt(el, 0);
      await expect(el).to.be.accessible();
      const bg = getComputedStyle(dialog(el)).backgroundColor;
      expect(bg).to.equal(theme === 'dark' ? 'rgb(17, 24, 39)' : 'rgb(255, 255, 255)');
      dialog(el).close();
    }
  });

  it('a floating panel: Escape closes the viewer and leaves the panel open', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} variant="floating" open></voice-buddy>`);
    withConcepts(el);
    await openAt(el, 2);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog(el).open, 'Escape did not close the viewer');
    expect(el.open, 'the panel stays open').to.equal(true);
    await waitUntil(() => focused() === thumbs(el)[2], 'focus did not go back to the thumbnail');
  });

  it('on a 390x844 phone it is full-screen and square-cornered; on 1280x800 a centred card', async () => {
    try {
      await setViewport({ width: 390, height: 844 });
      const el = await mount();
      withConcepts(el);
      await openAt(el, 0);
      const phone = dialog(el).getBoundingClientRect();
      expect([phone.left, phone.top, phone.width, phone.height]).to.deep.equal([0, 0, 390, 844]);
      expect(getComputedStyle(dialog(el)).borderTopLeftRadius).to.equal('0px');
      const use = inViewer(el, 'select-button')!.getBoundingClientRect();
      const download = inViewer(el, 'download-link')!.getBoundingClientRect();
      expect(use.height, 'touch-sized buttons').to.be.at.least(44);
      expect(Math.round(use.top), 'the two actions share a row').to.equal(Math.round(download.top));
      expect(use.bottom, 'the actions are on screen').to.be.at.most(844);
      const image = inViewer(el, 'viewer-image')!.getBoundingClientRect();
      expect(image.width, 'the image fills the width').to.be.closeTo(390, 1);
      dialog(el).close();

      await setViewport({ width: 1280, height: 800 });
      await openAt(el, 0);
      const desk = dialog(el).getBoundingClientRect();
      expect(desk.width).to.be.at.most(760);
      expect(desk.left + desk.width / 2).to.be.closeTo(640, 1);
      expect(desk.top + desk.height / 2).to.be.closeTo(400, 1);
      expect(desk.height).to.be.at.most(800 - 48);
      expect(parseFloat(getComputedStyle(dialog(el)).borderTopLeftRadius)).to.be.above(0);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('honours prefers-reduced-motion: neither the dialog nor the image animates', async () => {
    const el = await mount();
    withConcepts(el);
    await openAt(el, 0);
    expect(getComputedStyle(dialog(el)).animationName).to.equal('vb-in');
    dialog(el).close();
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      await openAt(el, 0);
      expect(getComputedStyle(dialog(el)).animationName).to.equal('none');
      expect(getComputedStyle(inViewer(el, 'viewer-image')!).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('a page can style the viewer through <voice-buddy>::part()', async () => {
    const el = await mount();
    const style = document.createElement('style');
    style.textContent = 'voice-buddy::part(select-button) { outline: 3px solid rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      withConcepts(el);
      await openAt(el, 0);
      expect(getComputedStyle(inViewer(el, 'select-button')!).outlineColor).to.equal('rgb(1, 2, 3)');
    } finally {
      style.remove();
    }
  });
});
