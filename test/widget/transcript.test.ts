import { expect, waitUntil } from '@open-wc/testing';
import { FakeBackend } from './fakes/backend.ts';
import { mount, part } from './helpers.ts';

describe('transcript scrolling', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('follows new messages, but not when the visitor scrolled up; then offers a jump back down', async () => {
    const el = await mount();
    const transcript = part(el, 'transcript')!;
    const log = () => transcript.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
    const atBottom = () => log().scrollTop + log().clientHeight >= log().scrollHeight - 2;
    for (let i = 0; i < 30; i++)
      el.store.setText(`m${i}`, i % 2 ? 'assistant' : 'user', `Message number ${i} about a wolf tattoo`);
    await waitUntil(() => log().scrollHeight > log().clientHeight * 2, 'the log does not overflow');
    await waitUntil(atBottom, 'did not follow new messages');
    expect(transcript.shadowRoot!.querySelector('[part~="jump-button"]')).to.equal(null);

    // The visitor scrolls up to read: a new message must not pull the view down.
    log().scrollTop = 0;
    log().dispatchEvent(new Event('scroll'));
    el.store.appendDelta('m-new', 'assistant', 'A new reply arrives');
    await waitUntil(() => transcript.shadowRoot!.querySelector('[part~="jump-button"]'), 'no jump button');
    expect(log().scrollTop).to.equal(0);

    (transcript.shadowRoot!.querySelector('[part~="jump-button"]') as HTMLButtonElement).click();
    await waitUntil(atBottom, 'jump did not scroll to the newest message');
    await waitUntil(() => !transcript.shadowRoot!.querySelector('[part~="jump-button"]'));
    // Following again.
    el.store.appendDelta('m-new2', 'assistant', 'And another');
    await waitUntil(atBottom, 'does not follow again after the jump');
  });

  it('tells message kinds apart for assistive technology and styling', async () => {
    const el = await mount();
    el.store.setText('u1', 'user', 'Hello');
    el.store.setText('a1', 'assistant', 'Hi there');
    el.store.setText('t1', 'tool', 'Design notes: wolf');
    el.store.addNotice('Reconnected.');
    const shadow = part(el, 'transcript')!.shadowRoot!;
    await waitUntil(() => shadow.querySelectorAll('[part~="message"]').length === 4);
    const kinds = [...shadow.querySelectorAll('[part~="message"]')].map((m) => m.getAttribute('part'));
    expect(kinds).to.deep.equal([
      'message message-user',
      'message message-assistant',
      'message message-tool',
      'message message-notice',
    ]);
    expect(shadow.querySelector('[part~="message-user"]')!.textContent).to.contain('You:');
    // Messages keep the visitor's line breaks (pre-wrap), so the markup must add no whitespace of its own.
    for (const m of shadow.querySelectorAll('[part~="message"]'))
      expect(m.textContent, m.getAttribute('part')!).to.match(/^\S.*\S$/s);
  });
});
