import { expect, waitUntil } from '@open-wc/testing';
import { emptyKeywords } from '../../widget/keywords/types.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { FakeBackend } from './fakes/backend.ts';
import { mount, shadow } from './helpers.ts';

type Manifest = {
  modules: Array<{ declarations?: Array<{ tagName?: string; cssParts?: Array<{ name: string }> }> }>;
};

/** The element inside <voice-buddy>'s shadow root that forwards a sub-element's parts. */
const inner = (el: VoiceBuddy, tag: string) => shadow(el).querySelector(tag)!;
/** A part inside a sub-element's shadow root. */
// The chips and the gallery are defined lazily (with the first keywords or concepts): no shadow root until then.
const innerPart = (el: VoiceBuddy, tag: string, name: string) =>
  inner(el, tag).shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);

describe('::part() reaches the inner parts from the page', () => {
  let backend: FakeBackend;
  let sheet: HTMLStyleElement;
  beforeEach(() => {
    backend = new FakeBackend().install();
    sheet = document.createElement('style');
    // The page's own stylesheet: nothing but ::part() selectors on the widget.
    sheet.textContent = `
      voice-buddy::part(chip) { background-color: rgb(10, 20, 30); }
      voice-buddy::part(chip-remove) { color: rgb(40, 50, 60); }
      voice-buddy::part(group) { border-top: 3px solid rgb(70, 80, 90); }
      voice-buddy::part(usage) { letter-spacing: 2px; }
      voice-buddy::part(log) { outline: 4px dotted rgb(1, 2, 3); }
      voice-buddy::part(generation) { border-left: 5px solid rgb(4, 5, 6); }
    `;
    document.head.append(sheet);
  });
  afterEach(() => {
    backend.uninstall();
    sheet.remove();
  });

  it('styles chips, their groups and buttons, the usage, the log and a generation', async () => {
    const el = await mount();
    el.setAttribute('owner-view', 'on');
    el.store.$keywords.set({ ...emptyKeywords(), subject: ['wolf'], style: ['fine-line'] });
    el.store.$generations.set([
      { id: 'g1', keywords: emptyKeywords(), status: 'running', percent: 40, stage: 'drawing', concepts: [] },
    ]);
    el.store.addUsage({ totalTokens: 12 });
    const chips = 'voice-buddy-keyword-chips';
    await waitUntil(
      () => innerPart(el, chips, 'chip') && innerPart(el, 'voice-buddy-concept-gallery', 'generation'),
      'nothing to style',
    );
    await waitUntil(() => innerPart(el, 'voice-buddy-status-pill', 'usage'), 'no usage in the owner view');
    expect(getComputedStyle(innerPart(el, chips, 'chip')!).backgroundColor).to.equal('rgb(10, 20, 30)');
    expect(getComputedStyle(innerPart(el, chips, 'chip-remove')!).color).to.equal('rgb(40, 50, 60)');
    expect(getComputedStyle(innerPart(el, chips, 'group')!).borderTopColor).to.equal('rgb(70, 80, 90)');
    expect(getComputedStyle(innerPart(el, 'voice-buddy-status-pill', 'usage')!).letterSpacing).to.equal('2px');
    expect(getComputedStyle(innerPart(el, 'voice-buddy-transcript', 'log')!).outlineColor).to.equal('rgb(1, 2, 3)');
    const generation = innerPart(el, 'voice-buddy-concept-gallery', 'generation')!;
    expect(getComputedStyle(generation).borderLeftColor).to.equal('rgb(4, 5, 6)');
  });

  it('forwards every part the manifest documents for each sub-element', async () => {
    const el = await mount();
    const manifest = (await (await fetch('/widget/custom-elements.json')).json()) as Manifest;
    const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
    const host = declarations.find((d) => d.tagName === 'voice-buddy')!;
    const hostParts = new Set(host.cssParts!.map((p) => p.name));
    for (const tag of [
      'voice-buddy-status-pill',
      'voice-buddy-transcript',
      'voice-buddy-keyword-chips',
      'voice-buddy-concept-gallery',
    ]) {
      const documented = declarations.find((d) => d.tagName === tag)!.cssParts!.map((p) => p.name);
      const exported = (inner(el, tag).getAttribute('exportparts') ?? '').split(',').map((p) => p.trim());
      expect(exported, `<${tag}> exportparts`).to.have.members(documented);
      for (const name of documented) expect(hostParts.has(name), `<voice-buddy> lists ${name}`).to.equal(true);
    }
  });
});
