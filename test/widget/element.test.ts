import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { defineOnce } from '../../widget/define.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend } from './fakes/backend.ts';
import { turnEvents } from './fakes/openai-peer.ts';
import { connected, mount, part } from './helpers.ts';

describe('<voice-buddy> element', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('is defined once: defining the tag again (a second copy of the script) does not throw', async () => {
    const before = customElements.get('voice-buddy');
    expect(before).to.exist;
    defineOnce('voice-buddy', class extends HTMLElement {});
    expect(customElements.get('voice-buddy')).to.equal(before);
    expect(() => customElements.define('voice-buddy', class extends HTMLElement {})).to.throw();
  });

  it('passes axe, idle and in conversation', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    await connected(el);
    await backend.latestPeer.play(turnEvents());
    await waitUntil(() => el.transcript.length >= 2);
    await expect(el).to.be.accessible();
    el.disconnect();
  });

  it('works from the keyboard: Tab to Start, Enter to connect, type and send, end', async () => {
    const el = await mount();
    el.focus();
    part<HTMLButtonElement>(el, 'connect-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.status === 'listening', 'Enter did not connect');
    await el.updateComplete;
    part<HTMLInputElement>(el, 'text-input')!.focus();
    await sendKeys({ type: 'a small rose' });
    await sendKeys({ press: 'Enter' });
    await backend.latestPeer.nextReceived('response.create');
    part<HTMLButtonElement>(el, 'connect-button')!.focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => el.status === 'idle', 'Space did not end the conversation');
  });

  it('announces state changes in a live region', async () => {
    const el = await mount();
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    await connected(el);
    // "Connecting" is read first; the status that follows it waits its turn instead of cutting it off.
    await waitUntil(() => region.textContent.includes('Listening'), `region says ${region.textContent}`);
    el.disconnect();
  });

  it('queues announcements: a finished reply is not overwritten by the status that follows it', async () => {
    const el = await mount();
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(region.textContent.trim())).observe(region, {
      subtree: true,
      characterData: true,
      childList: true,
    });
    await connected(el);
    await backend.latestPeer.play(turnEvents());
    await waitUntil(() => said.some((t) => t.startsWith('Assistant:')), `said ${said.join(' | ')}`, { timeout: 5000 });
    const reply = said.findIndex((t) => t.startsWith('Assistant:'));
    // Right after the reply the status returns to Listening: the region still reads the reply.
    await el.updateComplete;
    expect(el.status).to.equal('listening');
    expect(region.textContent).to.contain('Assistant:');
    await waitUntil(() => said.length > reply + 1, 'the status after the reply was never read', { timeout: 8000 });
    expect(said[reply + 1]!.replace(/\u200b/g, '')).to.equal('Listening');
    el.disconnect();
  });

  it('floating variant: a launcher opens the panel, Escape closes it and returns focus', async () => {
    const el = await mount(
      html`<voice-buddy key="pk_test" api-base=${API} variant="floating" placement="bottom-left"></voice-buddy>`,
    );
    const launcher = part<HTMLButtonElement>(el, 'launcher')!;
    expect(part(el, 'panel')!.hidden).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    // The icon is drawn: its path is an SVG element with a size, not an unknown HTML element.
    const icon = launcher.querySelector('path')!;
    expect(icon.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(icon.getBBox().width).to.be.greaterThan(0);
    launcher.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(part(el, 'panel')!.hidden).to.equal(false);
    expect(el.open).to.equal(true);
    await waitUntil(
      () => el.shadowRoot!.activeElement === part(el, 'connect-button'),
      'focus did not move into the panel',
    );
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(part(el, 'panel')!.hidden).to.equal(true);
    await waitUntil(() => el.shadowRoot!.activeElement === launcher, 'focus did not return to the launcher');
    const rect = el.getBoundingClientRect();
    expect(rect.left).to.be.lessThan(100);
    await expect(el).to.be.accessible();
  });

  it('two widgets on one page are independent', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <voice-buddy id="a" key="pk_test" api-base=${API}></voice-buddy>
      <voice-buddy id="b" key="pk_test" api-base=${API} greeting="Second widget"></voice-buddy>
    </div>`);
    const a = wrapper.querySelector<VoiceBuddy>('#a')!;
    const b = wrapper.querySelector<VoiceBuddy>('#b')!;
    await waitUntil(() => a.store.$config.get() && b.store.$config.get());
    expect(a.store).to.not.equal(b.store);
    await connected(a);
    await backend.latestPeer.play(turnEvents());
    await waitUntil(() => a.usage.totalTokens > 0);
    expect(b.status).to.equal('idle');
    expect(b.transcript).to.have.length(0);
    expect(b.usage.totalTokens).to.equal(0);
    const bPill = part(b, 'status')!.shadowRoot!.textContent;
    expect(bPill).to.contain('Ready');
    expect(bPill).not.to.contain('tokens');
    a.disconnect();
  });

  it('host-page CSS does not change the widget', async () => {
    const el = await mount();
    await connected(el);
    await backend.latestPeer.play(turnEvents());
    await waitUntil(() => el.transcript.length >= 2);
    const probe = () => {
      const button = part(el, 'connect-button')!;
      const message = part(el, 'transcript')!.shadowRoot!.querySelector('[part~="message-assistant"]')!;
      const title = part(el, 'title')!;
      const pick = (e: Element) => {
        const cs = getComputedStyle(e);
        return [
          cs.color,
          cs.backgroundColor,
          cs.fontFamily,
          cs.fontSize,
          cs.textTransform,
          cs.letterSpacing,
          cs.borderTopWidth,
          cs.padding,
        ].join('|');
      };
      return [pick(button), pick(message), pick(title)];
    };
    const before = probe();
    const style = document.createElement('style');
    style.textContent = `
      * { color: red !important; font-family: "Comic Sans MS", cursive !important; letter-spacing: 3px !important; text-transform: uppercase !important; }
      button { background: lime !important; border: 9px solid blue !important; padding: 40px !important; }
      li, h2, span { font-size: 40px !important; background: yellow !important; }
      body { font-size: 30px; line-height: 3; }
      voice-buddy { font-size: 50px; color: purple; }`;
    document.head.append(style);
    try {
      expect(probe()).to.deep.equal(before);
    } finally {
      style.remove();
      el.disconnect();
    }
  });

  it('a bad attribute value warns once and falls back to the default', async () => {
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const el = await mount(
        html`<voice-buddy key="pk_test" api-base=${API} theme="neon" variant="popup" mode="telepathy" accent="not-a-colour"></voice-buddy>`,
      );
      expect(el.theme).to.equal('light');
      expect(el.getAttribute('theme')).to.equal('light');
      expect(el.variant).to.equal('inline');
      expect(el.store.$mode.get()).to.equal('hands-free');
      el.setAttribute('theme', 'neon');
      await el.updateComplete;
      el.requestUpdate();
      await el.updateComplete;
      const neon = warnings.filter((w) => w.includes('theme="neon"'));
      expect(neon).to.have.length(1);
      expect(warnings.some((w) => w.includes('variant="popup"'))).to.equal(true);
      expect(warnings.some((w) => w.includes('mode="telepathy"'))).to.equal(true);
      expect(warnings.some((w) => w.includes('accent="not-a-colour"'))).to.equal(true);
    } finally {
      console.warn = originalWarn;
    }
  });

  it('applies tenant branding unless an attribute overrides it', async () => {
    backend.config = { ...backend.config, branding: { ...backend.config.branding, primaryColor: '#00aa00' } };
    const el = await mount();
    const accentOf = () => getComputedStyle(part(el, 'connect-button')!).backgroundColor;
    expect(accentOf()).to.equal('rgb(0, 170, 0)');
    el.accent = '#0000ff';
    await el.updateComplete;
    expect(accentOf()).to.equal('rgb(0, 0, 255)');
    el.accent = null;
    el.style.setProperty('--voice-buddy-accent', '#ff0000');
    await el.updateComplete;
    expect(accentOf()).to.equal('rgb(255, 0, 0)');
  });

  it('uses the tenant default mode and the user-id for stickiness', async () => {
    backend.config = { ...backend.config, defaultMode: 'text' };
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} user-id="customer-42"></voice-buddy>`);
    expect(el.store.$mode.get()).to.equal('text');
    expect(new URL(backend.requests[0]!.url).searchParams.get('uid')).to.equal('customer-42');
  });
});
