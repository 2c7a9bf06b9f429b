// Keyword labels in real Chromium: a German conversation's chips, design notes and gallery show German words (the
// label table's for canonical ids, the model's `labels` for motifs) while the events, the tool's answer and the
// brief keep the English ids; a chip edited back to a German label is its keyword; junk labels are ignored; English
// shows the ids as before.
import { expect, html, waitUntil } from '@open-wc/testing';
import { briefJson } from '../../widget/keywords/brief.ts';
import type { Keywords } from '../../widget/keywords/types.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend } from './fakes/backend.ts';
import { callTool, connected, mount, outputFor, part, withConcepts, WOLF_KEYWORDS } from './helpers.ts';

const chips = (el: VoiceBuddy) => part(el, 'keywords')!.shadowRoot!;
const chipTexts = (el: VoiceBuddy) =>
  [...chips(el).querySelectorAll('[part~="chip-edit"]')].map((c) => c.textContent.trim());
const chip = (el: VoiceBuddy, text: string) =>
  [...chips(el).querySelectorAll<HTMLButtonElement>('[part~="chip-edit"]')].find((b) => b.textContent === text);
const editInput = (el: VoiceBuddy) => chips(el).querySelector<HTMLInputElement>('[part~="chip-input"]');
const shownTranscript = (el: VoiceBuddy) => part(el, 'transcript')!.shadowRoot!.textContent.replace(/\s+/g, ' ');
const press = (el: VoiceBuddy, key: string) =>
  editInput(el)!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));

/** The wolf design as the model would call the tool with it (English ids and words). */
const WOLF_CALL = WOLF_KEYWORDS;
const GERMAN = { wolf: 'Wolf', moon: 'Mond', dark: 'düster' };

async function mountIn(lang: string) {
  const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} lang=${lang}></voice-buddy>`);
  await waitUntil(() => el.shadowRoot!.querySelector<HTMLElement>('.root')?.lang === lang, `not ${lang}`, {
    timeout: 5000,
  });
  const events: Array<{ keywords: Keywords; source: string }> = [];
  el.addEventListener('voice-buddy-keywords', (e) => events.push(e.detail));
  await connected(el);
  return { el, events };
}

describe('keyword labels', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it("de: chips and the design note show German words; events and the tool's answer keep the English ids", async () => {
    const { el, events } = await mountIn('de');
    const peer = backend.latestPeer;
    const out = await outputFor(peer, callTool(peer, 'extract_keywords', { ...WOLF_CALL, labels: GERMAN }));
    await waitUntil(() => chipTexts(el).includes('Unterarm'), `chips: ${chipTexts(el).join(', ')}`);
    expect(chipTexts(el)).to.deep.equal([
      'Wolf',
      'Mond',
      'Fineline',
      'Schwarz-Grau',
      'Unterarm',
      'klein',
      'düster',
      'Rot',
    ]);
    expect(chip(el, 'Unterarm')!.getAttribute('aria-label')).to.equal('Unterarm bearbeiten (Stelle)');
    // The panel's folded summary row (start-up code) shows the same words.
    expect(part(el, 'design-summary')!.textContent).to.contain('Wolf · Fineline · Unterarm');
    // The design note is written when the call is answered, with the labels of its language.
    expect(shownTranscript(el)).to.contain(
      'Design-Notizen: Wolf · mit Mond · Fineline · Schwarz-Grau · am Unterarm · klein · düster · kein Rot',
    );
    // Display only: what the page, the model and generation see is English.
    expect(out.keywords).to.deep.include({ subject: ['wolf'], placement: 'forearm', style: ['fine-line'] });
    expect(out.keywords).not.to.have.property('labels');
    expect(events.at(-1)!.keywords).to.deep.equal({ ...WOLF_CALL, lettering: null });
    expect(el.store.$keywords.get()).not.to.have.property('labels');
    el.disconnect();
  });

  it('de: a chip edited to a German label is its keyword, an unknown word stays as typed', async () => {
    const { el, events } = await mountIn('de');
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { ...WOLF_CALL, labels: GERMAN }));
    await waitUntil(() => chip(el, 'Unterarm'), 'no German placement chip');

    chip(el, 'Unterarm')!.click();
    await waitUntil(() => editInput(el), 'no edit field');
    expect(editInput(el)!.value, 'the field shows the words the chip showed').to.equal('Unterarm');
    editInput(el)!.value = 'Wade';
    press(el, 'Enter');
    await waitUntil(() => el.store.$keywords.get()?.placement === 'calf', 'Wade did not become calf');
    await waitUntil(() => chip(el, 'Wade'), `chips: ${chipTexts(el).join(', ')}`);
    expect(events.at(-1)).to.deep.include({ source: 'visitor' });
    expect(events.at(-1)!.keywords.placement).to.equal('calf');
    // The brief the model gets is English.
    const brief = peer.received.at(-1) as { item: { content: Array<{ text: string }> } };
    expect(briefJson(brief.item.content[0]!.text)).to.deep.include({ placement: 'calf', subject: ['wolf'] });
    await waitUntil(() => chips(el).activeElement === chip(el, 'Wade'), 'focus did not go back to the chip');

    // A label read back is the model's too ("Mond" is "moon"), and saving a chip as it was changes nothing.
    const before = { events: events.length, sent: peer.received.length };
    chip(el, 'Mond')!.click();
    await waitUntil(() => editInput(el));
    press(el, 'Enter');
    await waitUntil(() => editInput(el) === null);
    expect(events.length).to.equal(before.events);
    expect(peer.received.length).to.equal(before.sent);

    chip(el, 'Mond')!.click();
    await waitUntil(() => editInput(el));
    editInput(el)!.value = 'Flügelpaar';
    press(el, 'Enter');
    await waitUntil(() => el.store.$keywords.get()?.elements.includes('flügelpaar'), 'the unknown word was lost');
    await waitUntil(() => chipTexts(el).includes('flügelpaar'));
    expect(el.store.$keywords.get()!.elements).not.to.include('moon');
    el.disconnect();
  });

  it('de: junk labels are ignored and cost nothing: the keywords arrive, motifs show their English word', async () => {
    const { el } = await mountIn('de');
    const peer = backend.latestPeer;
    for (const labels of ['Wolf', ['Wolf'], { wolf: 42, moon: { de: 'Mond' }, dark: 'x'.repeat(200) }]) {
      const out = await outputFor(peer, callTool(peer, 'extract_keywords', { ...WOLF_CALL, labels }));
      expect(out.error, JSON.stringify(labels)).to.equal(undefined);
      expect(out.keywords).to.deep.include({ subject: ['wolf'], placement: 'forearm' });
    }
    await waitUntil(() => chipTexts(el).includes('Unterarm'));
    expect(chipTexts(el)).to.include.members(['wolf', 'moon', 'dark', 'Fineline']);
    expect(el.store.$keywordLabels.get()).to.deep.equal({});
    el.disconnect();
  });

  it('de: the gallery titles a generation with German labels', async () => {
    const { el } = await mountIn('de');
    el.store.$keywordLabels.set({ wolf: 'Wolf', moon: 'Mond' });
    withConcepts(
      el,
      { ...WOLF_KEYWORDS, lettering: 'Carpe diem' },
      ['data:image/gif;base64,R0lGODlhAQABAAAAACw='],
      (n) => `Concept ${n}`,
    );
    const title = () => part(el, 'gallery')?.shadowRoot?.querySelector('h3')?.textContent ?? '';
    await waitUntil(() => title().includes('Unterarm'), 'no German title', { timeout: 5000 });
    for (const words of ['Wolf', 'mit Mond', 'Fineline', 'Schwarz-Grau', 'am Unterarm', 'klein', 'kein Rot'])
      expect(title()).to.contain(words);
    // The viewer's caption too.
    const gallery = part(el, 'gallery')!.shadowRoot!;
    gallery.querySelector<HTMLButtonElement>('[part~="concept"]')!.click();
    const caption = () =>
      gallery.querySelector('voice-buddy-concept-viewer')!.shadowRoot!.querySelector('[part~="viewer-caption"]');
    await waitUntil(() => caption()?.textContent, 'no caption');
    expect(caption()!.textContent).to.contain('Wolf mit Mond · Stil: Fineline');
    expect(caption()!.textContent).to.contain('Schriftzug: „Carpe diem“ · ');
    el.disconnect();
  });

  it("de: the gallery's titles take the model's motif words that arrive after the generation", async () => {
    const { el } = await mountIn('de');
    withConcepts(el, WOLF_KEYWORDS, ['data:image/gif;base64,R0lGODlhAQABAAAAACw='], (n) => `Concept ${n}`);
    const title = () => part(el, 'gallery')?.shadowRoot?.querySelector('h3')?.textContent ?? '';
    await waitUntil(() => title().includes('Unterarm'), 'no German title', { timeout: 5000 });
    expect(title()).to.contain('wolf');
    // Nothing else changes: only the labels' store can bring the gallery to render again.
    el.store.$keywordLabels.set({ wolf: 'Wolf', moon: 'Mond' });
    await waitUntil(() => title().includes('Wolf'), `title: ${title()}`);
    expect(title()).to.contain('mit Mond');
    el.disconnect();
  });

  it('de: the session keeps the newest motif words, and a word given again is new', async () => {
    const { el } = await mountIn('de');
    const peer = backend.latestPeer;
    // A long conversation's worth: the wolf's word first, then 95 others (the session keeps 96).
    const older = Object.fromEntries(Array.from({ length: 95 }, (_, i) => [`motif${i}`, `Motiv ${i}`]));
    el.store.$keywordLabels.set({ wolf: 'Wolf', ...older });
    await outputFor(peer, callTool(peer, 'extract_keywords', { ...WOLF_CALL, labels: GERMAN }));
    const kept = el.store.$keywordLabels.get();
    expect(Object.keys(kept)).to.have.length(96);
    expect(kept).to.include({ wolf: 'Wolf', moon: 'Mond', dark: 'düster' });
    expect(kept).not.to.have.any.keys('motif0', 'motif1');
    await waitUntil(() => chipTexts(el).includes('Wolf'), `chips: ${chipTexts(el).join(', ')}`);
    el.disconnect();
  });

  it("en: the ids show as before, and a model's labels do not", async () => {
    const { el } = await mountIn('en');
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { ...WOLF_CALL, labels: GERMAN }));
    await waitUntil(() => chipTexts(el).includes('forearm'));
    expect(chipTexts(el)).to.deep.equal([
      'wolf',
      'moon',
      'fine-line',
      'black-and-grey',
      'forearm',
      'small',
      'dark',
      'red',
    ]);
    expect(part(el, 'design-summary')!.textContent).to.contain('wolf · fine-line · forearm');
    expect(shownTranscript(el)).to.contain(
      'Design notes: wolf · with moon · fine-line · black-and-grey · on the forearm · small · dark · no red',
    );
    el.disconnect();
  });
});
