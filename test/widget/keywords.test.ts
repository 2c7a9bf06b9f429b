import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { briefJson } from '../../widget/keywords/brief.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { FakeBackend, workerError } from './fakes/backend.ts';
import { callTool, connected, mount, outputFor, part, transcriptTexts } from './helpers.ts';

const chips = (el: VoiceBuddy) => part(el, 'keywords')!.shadowRoot!;
const chipTexts = (el: VoiceBuddy) =>
  [...chips(el).querySelectorAll('[part~="chip-edit"]')].map((c) => c.textContent.trim());
const gallery = (el: VoiceBuddy) => part(el, 'gallery')!.shadowRoot!;

describe('keywords: extract, show, edit, hand off', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('normalises and merges an extract_keywords call, shows chips and answers with the merged set', async () => {
    const el = await mount();
    const events: unknown[] = [];
    el.addEventListener('voice-buddy-keywords', (e) => events.push(e.detail));
    await connected(el);
    const peer = backend.latestPeer;
    const first = callTool(peer, 'extract_keywords', {
      subject: ['Wolves'],
      elements: ['roses', 'moons'],
      style: ['old school'],
      colors: ['colour'],
      placement: 'bicep',
      size: null,
      mood: [],
      lettering: null,
      exclude: [],
    });
    const out = await outputFor(peer, first);
    expect(out.keywords).to.deep.include({
      subject: ['wolf'],
      style: ['traditional'],
      colors: ['full-color'],
      placement: 'upper-arm',
    });
    expect(out.keywords!.elements).to.have.members(['rose', 'moon']);
    const types = peer.received.map((e) => e.type);
    expect(types.lastIndexOf('conversation.item.create')).to.be.lessThan(types.lastIndexOf('response.create'));
    await el.updateComplete;
    // The chips are defined lazily (loaded when the conversation starts): no shadow root until then.
    await waitUntil(() => part(el, 'keywords')!.shadowRoot && chipTexts(el).includes('wolf'), 'no chips');
    expect(chipTexts(el)).to.include.members(['wolf', 'rose', 'moon', 'traditional', 'full-color', 'upper-arm']);
    expect(transcriptTexts(el, 'tool').at(-1)).to.contain('wolf');

    // A later statement wins; an exclusion removes.
    const second = callTool(peer, 'extract_keywords', {
      subject: ['wolf'],
      elements: [],
      style: [],
      colors: ['black and grey'],
      placement: 'forearm',
      size: 'small',
      mood: [],
      lettering: null,
      exclude: ['roses'],
    });
    const merged = (await outputFor(peer, second)).keywords!;
    expect(merged.placement).to.equal('forearm');
    expect(merged.colors).to.deep.equal(['black-and-grey']);
    expect(merged.elements).to.deep.equal(['moon']);
    expect(merged.exclude).to.deep.equal(['rose']);
    expect(events).to.have.length(2);
    expect((events[1] as { source: string }).source).to.equal('model');
    el.disconnect();
  });

  it('answers bad JSON with a tool output that says so, and keeps going', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    const out = await outputFor(peer, callTool(peer, 'extract_keywords', '{"subject": ["wolf"'));
    expect(out.error).to.match(/not valid JSON/);
    expect(el.status).to.equal('listening');
    const ok = await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['rose'] }));
    expect(ok.keywords!.subject).to.deep.equal(['rose']);
    el.disconnect();
  });

  it('chip edits go back to the model as data: one system item with the whole brief, no reply asked', async () => {
    const el = await mount();
    const events: Array<{
      source: string;
      keywords: { subject: string[]; colors: string[]; placement: string | null; exclude: string[] };
    }> = [];
    el.addEventListener('voice-buddy-keywords', (e) => events.push(e.detail as never));
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['wolf'], style: ['fine-line'] }));
    await waitUntil(() => chipTexts(el).includes('fine-line'));
    const removeStyle = [...chips(el).querySelectorAll<HTMLButtonElement>('[part~="chip-remove"]')].find(
      (b) => b.getAttribute('aria-label') === 'Remove fine-line (Style)',
    )!;
    const before = peer.received.length;
    removeStyle.click();
    await waitUntil(() => !chipTexts(el).includes('fine-line'), 'chip not removed');
    await waitUntil(() => peer.received.length > before);
    const edit = peer.received.at(-1) as {
      type: string;
      item: { type: string; role: string; content: Array<{ type: string; text: string }> };
    };
    expect(edit.type).to.equal('conversation.item.create');
    expect(edit.item).to.include({ type: 'message', role: 'system' });
    expect(edit.item.content).to.have.length(1);
    expect(edit.item.content[0]!.type).to.equal('input_text');
    const brief = briefJson(edit.item.content[0]!.text) as { subject: string[]; style: string[] };
    expect(brief.subject).to.deep.equal(['wolf']);
    expect(brief.style).to.deep.equal([]);
    expect(peer.received.slice(before).map((e) => e.type)).not.to.include('response.create');

    const input = chips(el).querySelector<HTMLInputElement>('[part~="add-input"]')!;
    input.value = 'no red, on my calf';
    input.form!.requestSubmit();
    await waitUntil(() => events.at(-1)?.keywords.placement === 'calf', 'typed keyword not applied');
    expect(events.at(-1)!.source).to.equal('visitor');
    expect(events.at(-1)!.keywords.exclude).to.include('red');
    input.value = 'zorblax';
    input.form!.requestSubmit();
    await waitUntil(() => chipTexts(el).includes('zorblax'), 'unknown words become a motif');
    el.disconnect();
  });

  it('a removed chip can be put back with Undo, which takes focus and tells the model the brief again', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(
      peer,
      callTool(peer, 'extract_keywords', { subject: ['wolf'], elements: ['moon'], style: ['fine-line'] }),
    );
    await waitUntil(() => chipTexts(el).includes('moon'));
    const remove = () =>
      [...chips(el).querySelectorAll<HTMLButtonElement>('[part~="chip-remove"]')].find(
        (b) => b.getAttribute('aria-label') === 'Remove moon (Elements)',
      );
    remove()!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !chipTexts(el).includes('moon'), 'chip not removed');
    const undo = chips(el).querySelector<HTMLElement>('[part~="undo"]')!;
    expect(undo.getAttribute('role')).to.equal('status');
    expect(undo.textContent).to.contain('Removed elements “moon”');
    await waitUntil(() => chips(el).activeElement === undo.querySelector('button'), 'focus did not go to Undo');
    const before = peer.received.length;
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => chipTexts(el).includes('moon'), 'Undo did not put the chip back');
    expect(el.store.$keywords.get()!.elements).to.deep.equal(['moon']);
    expect(chips(el).querySelector('[part~="undo"]')).to.equal(null);
    await waitUntil(() => peer.received.length > before, 'the brief was not sent again');
    const brief = briefJson(
      (peer.received.at(-1) as { item: { content: Array<{ text: string }> } }).item.content[0]!.text,
    ) as { elements: string[] };
    expect(brief.elements).to.deep.equal(['moon']);
    await waitUntil(() => chips(el).activeElement?.textContent?.trim() === 'moon', 'focus did not return to the chip');

    // Another change after a removal ends the offer: Undo never puts back an older brief over a newer one.
    remove()!.click();
    await waitUntil(() => chips(el).querySelector('[part~="undo"]'));
    const input = chips(el).querySelector<HTMLInputElement>('[part~="add-input"]')!;
    input.value = 'rose';
    input.form!.requestSubmit();
    await waitUntil(() => chipTexts(el).includes('rose'));
    await el.updateComplete;
    expect(chips(el).querySelector('[part~="undo"]'), 'the offer outlived a later change').to.equal(null);
    el.disconnect();
  });

  it('edits a chip in place: Enter saves into the same field, Escape cancels, focus stays on the chips', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(
      peer,
      callTool(peer, 'extract_keywords', { subject: ['wolf'], style: ['fine-line'], placement: 'forearm' }),
    );
    await waitUntil(() => chipTexts(el).includes('forearm'));
    const chip = (text: string) =>
      [...chips(el).querySelectorAll<HTMLButtonElement>('[part~="chip-edit"]')].find((b) => b.textContent === text);
    const editInput = () => chips(el).querySelector<HTMLInputElement>('[part~="chip-input"]');

    chip('forearm')!.click();
    await waitUntil(() => editInput() !== null, 'no edit field');
    expect(chips(el).activeElement).to.equal(editInput());
    editInput()!.value = 'calf';
    editInput()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => el.store.$keywords.get()?.placement === 'calf', 'placement not edited');
    await waitUntil(() => chips(el).activeElement === chip('calf'), 'focus did not go back to the chip');

    // A style typed into a style chip is read as a style; "Fine Line" is normalised.
    chip('fine-line')!.click();
    await waitUntil(() => editInput() !== null);
    editInput()!.value = 'Japanese';
    editInput()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitUntil(() => el.store.$keywords.get()?.style.join() === 'japanese', 'style not edited');

    // Escape keeps the chip as it was, and the panel does not close.
    const sent = peer.received.length;
    chip('wolf')!.click();
    await waitUntil(() => editInput() !== null);
    editInput()!.value = 'bear';
    editInput()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => editInput() === null);
    expect(el.store.$keywords.get()!.subject).to.deep.equal(['wolf']);
    expect(peer.received.length).to.equal(sent);
    el.disconnect();
  });

  it('Generate hands off, shows progress and a keyboard-navigable gallery, and fires events', async () => {
    const el = await mount();
    el.style.width = '380px'; // a widget's usual width, so the design area must scroll to show the concepts
    const handoffs: unknown[] = [];
    const concepts: unknown[] = [];
    el.addEventListener('voice-buddy-handoff', (e) => handoffs.push(e.detail));
    el.addEventListener('voice-buddy-concept', (e) => concepts.push(e.detail));
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(
      peer,
      callTool(peer, 'extract_keywords', { subject: ['wolf'], placement: 'forearm', style: ['fine-line'] }),
    );
    await el.updateComplete;
    const generate = () => chips(el).querySelector<HTMLButtonElement>('[part~="generate-button"]')!;
    await waitUntil(() => generate() && !generate().disabled, 'Generate stays disabled');
    generate().click();
    await waitUntil(() => gallery(el).querySelector('[part~="progress"]'), 'no progress bar');
    await waitUntil(() => gallery(el).querySelectorAll('[part~="concept"]').length === 3, 'concepts did not arrive', {
      timeout: 5000,
    });
    await waitUntil(() => el.store.$generations.get()[0]!.status === 'done');
    // The design area scrolls inside the widget; the new concepts are brought into it, and the page stays put.
    const design = part(el, 'gallery')!.parentElement!;
    expect(design.scrollHeight, 'the design area overflows in this test').to.be.greaterThan(design.clientHeight);
    const shown = gallery(el).querySelector('[part~="concept"]')!.getBoundingClientRect();
    const box = design.getBoundingClientRect();
    // The conversation keeps half the panel, so a 480 px panel leaves the design area less than a thumbnail's
    // height: the first concept is scrolled to its top, and is all in view where the area is tall enough.
    expect(shown.top, 'the first concept is in view').to.be.at.least(box.top - 1);
    expect(shown.top, 'the first concept is in view').to.be.below(box.bottom - 20);
    if (shown.height <= box.height) expect(shown.bottom, 'the first concept is in view').to.be.at.most(box.bottom + 1);
    expect(window.scrollY).to.equal(0);
    const request = backend.requests.find((r) => r.url.endsWith('/v1/handoff'))!;
    const body = JSON.parse(request.body) as { keywords: { subject: string[] }; sessionId: string; uid: string };
    expect(body.keywords.subject).to.deep.equal(['wolf']);
    expect(body.sessionId).to.be.a('string');
    expect(body.uid).to.match(/^v_/);
    expect(handoffs).to.have.length(1);
    expect(concepts).to.have.length(3);
    const thumbs = [...gallery(el).querySelectorAll<HTMLButtonElement>('[part~="concept"]')];
    expect(thumbs[0]!.querySelector('img')!.alt).to.contain('wolf');
    thumbs[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(gallery(el).activeElement).to.equal(thumbs[1]);
    await sendKeys({ press: 'Enter' });
    const viewer = () => gallery(el).querySelector('voice-buddy-concept-viewer')!.shadowRoot!;
    await waitUntil(() => viewer().querySelector('dialog[open]'), 'viewer did not open');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !viewer().querySelector('dialog[open]'), 'viewer did not close');
    await expect(el).to.be.accessible();
    el.disconnect();
  });

  it('the stream resumes after a drop and gets every concept once', async () => {
    backend.sseOptions = { drop: '3' };
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['rose'] }));
    const out = await outputFor(peer, callTool(peer, 'generate_concepts', { reason: 'yes, show me' }));
    expect(out.started).to.equal(true);
    await waitUntil(() => el.store.$generations.get()[0]?.status === 'done', 'generation never finished', {
      timeout: 6000,
    });
    expect(el.store.$generations.get()[0]!.concepts.map((c) => c.index)).to.deep.equal([0, 1, 2]);
    const log = (await (await fetch('/__fake-sse/log')).json()) as Array<{ id: string; lastEventId: number }>;
    const mine = log.filter((l) => l.id === el.store.$generations.get()[0]!.id);
    expect(mine.map((l) => l.lastEventId)).to.deep.equal([0, 3]);
    el.disconnect();
  });

  it('refining starts a new generation and keeps the earlier one', async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['rose'] }));
    await outputFor(peer, callTool(peer, 'generate_concepts', {}));
    await waitUntil(() => el.store.$generations.get()[0]?.status === 'done', 'first never finished', { timeout: 6000 });
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['rose'], mood: ['bold'] }));
    await outputFor(peer, callTool(peer, 'generate_concepts', { reason: 'make it bolder' }));
    await waitUntil(
      () => el.store.$generations.get().length === 2 && el.store.$generations.get()[1]!.status === 'done',
      'second never finished',
      { timeout: 6000 },
    );
    const [a, b] = el.store.$generations.get();
    expect(a!.keywords.mood).to.deep.equal([]);
    expect(b!.keywords.mood).to.deep.equal(['bold']);
    expect(gallery(el).querySelectorAll('[part~="generation"]')).to.have.length(2);
    el.disconnect();
  });

  it('the host page can take over the handoff', async () => {
    const el = await mount();
    el.addEventListener('voice-buddy-handoff', (e) => e.preventDefault());
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['anchor'] }));
    await outputFor(peer, callTool(peer, 'generate_concepts', {}));
    expect(backend.count('/v1/handoff')).to.equal(0);
    expect(el.store.$generations.get()).to.have.length(0);
    el.disconnect();
  });

  it('shows a generation error and reports it', async () => {
    backend.sseOptions = { fail: '1' };
    const el = await mount();
    const errors: string[] = [];
    el.addEventListener('voice-buddy-error', (e) => errors.push(e.detail.code));
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['anchor'] }));
    await outputFor(peer, callTool(peer, 'generate_concepts', {}));
    await waitUntil(() => errors.includes('generation_failed'), 'no error event', { timeout: 5000 });
    await waitUntil(() => gallery(el).querySelector('[role="alert"]'));
    expect(gallery(el).querySelector('[role="alert"]')!.textContent).to.contain('gave up');
    backend.handoffReplies.push(workerError(402, 'quota_exceeded', 'used up'));
    await outputFor(peer, callTool(peer, 'generate_concepts', {}));
    await waitUntil(() => errors.includes('quota_exceeded'));
    el.disconnect();
  });

  it('with keywords.handoff off there is no Generate button', async () => {
    backend.config = { ...backend.config, flags: { 'keywords.handoff': { enabled: false, reason: 'DISABLED' } } };
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    await outputFor(peer, callTool(peer, 'extract_keywords', { subject: ['wolf'] }));
    await waitUntil(() => chipTexts(el).includes('wolf'));
    expect(chips(el).querySelector('[part~="generate-button"]')).to.equal(null);
    const out = await outputFor(peer, callTool(peer, 'generate_concepts', {}));
    expect(out.started).to.equal(false);
    expect(backend.count('/v1/handoff')).to.equal(0);
    el.disconnect();
  });
});
