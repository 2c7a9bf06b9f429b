import { expect, html, waitUntil } from '@open-wc/testing';
import { contrast, ensureContrast, INK, textOn, WHITE, type Rgb } from '../../widget/theme/contrast.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, baseConfig, FakeBackend } from './fakes/backend.ts';
import { mount, part } from './helpers.ts';

const rgb = (css: string): Rgb => {
  const m = css.match(/rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

describe('colour contrast (WCAG 2.2 1.4.3 and 1.4.11)', () => {
  it('has the ratios of the WCAG definition', () => {
    expect(contrast([255, 255, 255], [0, 0, 0])).to.be.closeTo(21, 0.01);
    expect(contrast([119, 119, 119], [255, 255, 255])).to.be.closeTo(4.48, 0.01);
    expect(contrast([10, 20, 30], [10, 20, 30])).to.equal(1);
  });

  it('always finds text of at least 4.5:1, and a UI colour of at least 3:1 against light and dark panels', () => {
    const steps = [0, 34, 68, 102, 119, 136, 170, 204, 238, 255];
    for (const r of steps)
      for (const g of steps)
        for (const b of steps) {
          const c: Rgb = [r, g, b];
          expect(contrast(textOn(c), c), `text on ${c}`).to.be.at.least(4.5);
          for (const [panel, fg] of [
            [WHITE, INK],
            [[17, 24, 39] as Rgb, [249, 250, 251] as Rgb],
          ] as const) {
            const ui = ensureContrast(c, panel, 3, fg);
            expect(contrast(ui, panel), `${c} on ${panel}`).to.be.at.least(3);
            if (contrast(c, panel) >= 3) expect(ui).to.deep.equal(c);
          }
        }
  });
});

describe('<voice-buddy> is readable with any brand colour', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  // The demo's navy, a light yellow, white, black, mid grey, a saturated green, a wide-gamut colour, a named one.
  const colours = ['#1e3a8a', '#ffd60a', '#ffffff', '#000000', '#777777', '#22c55e', 'oklch(0.7 0.15 200)', 'navy'];

  for (const theme of ['light', 'dark'] as const)
    for (const colour of colours)
      it(`${theme} theme, brand ${colour}: buttons and visitor messages reach AA`, async () => {
        backend.config = baseConfig({ branding: { ...baseConfig().branding, accentColor: colour } });
        const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} theme=${theme}></voice-buddy>`);
        el.store.$transcript.set([
          { id: 'u1', kind: 'user', text: 'A fox', final: true, at: 1 },
          { id: 'a1', kind: 'assistant', text: 'Lovely', final: true, at: 2 },
        ]);
        await waitUntil(() => part(el, 'transcript')?.shadowRoot?.querySelector('.user'), 'no visitor message');
        await el.updateComplete;
        const panel = rgb(getComputedStyle(part(el, 'panel')!).backgroundColor);
        const start = getComputedStyle(part(el, 'connect-button')!);
        expect(contrast(rgb(start.color), rgb(start.backgroundColor)), 'Start label').to.be.at.least(4.5);
        expect(contrast(rgb(start.backgroundColor), panel), 'Start against the panel').to.be.at.least(3);
        const log = part(el, 'transcript')!.shadowRoot!;
        const user = getComputedStyle(log.querySelector('.user')!);
        const assistant = getComputedStyle(log.querySelector('.assistant')!);
        expect(contrast(rgb(user.color), rgb(user.backgroundColor)), 'visitor text').to.be.at.least(4.5);
        expect(contrast(rgb(assistant.color), rgb(assistant.backgroundColor)), 'assistant text').to.be.at.least(4.5);
        // Bubbles stay distinct: the visitor's stands out from the panel, unlike the assistant's quiet grey.
        expect(contrast(rgb(user.backgroundColor), panel), 'visitor bubble against the panel').to.be.at.least(3);
        expect(user.backgroundColor).not.to.equal(assistant.backgroundColor);
      });

  it('keeps a brand colour that already reads well, and the tenant accent wins over its primary colour', async () => {
    backend.config = baseConfig({
      branding: { ...baseConfig().branding, primaryColor: '#b91c1c', accentColor: '#4338ca' },
    });
    const el: VoiceBuddy = await mount();
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'connect-button')!).backgroundColor).to.equal('rgb(67, 56, 202)');
  });

  it('the End button and error text stay readable in the dark theme', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} theme="dark"></voice-buddy>`);
    const panel = rgb(getComputedStyle(part(el, 'panel')!).backgroundColor);
    const danger = getComputedStyle(el.shadowRoot!.querySelector('.root')!).getPropertyValue('--_danger').trim();
    const probe = document.createElement('span');
    probe.style.color = danger;
    document.body.append(probe);
    expect(contrast(rgb(getComputedStyle(probe).color), panel)).to.be.at.least(4.5);
    probe.remove();
  });
});

describe('<voice-buddy> contrast follows theme changes', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('re-measures when the theme changes at run time', async () => {
    backend.config = baseConfig({ branding: { ...baseConfig().branding, accentColor: '#1e3a8a' } });
    const el = await mount();
    const start = part(el, 'connect-button')!;
    const light = getComputedStyle(start).backgroundColor;
    expect(light).to.equal('rgb(30, 58, 138)');
    el.setAttribute('theme', 'dark');
    await el.updateComplete;
    const panel = rgb(getComputedStyle(part(el, 'panel')!).backgroundColor);
    expect(contrast(rgb(getComputedStyle(start).backgroundColor), panel)).to.be.at.least(3);
    expect(contrast(rgb(getComputedStyle(start).color), rgb(getComputedStyle(start).backgroundColor))).to.be.at.least(
      4.5,
    );
  });
});
