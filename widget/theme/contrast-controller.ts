import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ensureContrast, hex, textOn, type Rgb } from './contrast.ts';

let ctx: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour (named, hex, rgb(), oklch(), ...) as sRGB bytes, by painting it; null when it is not a colour. */
function toRgb(color: string): Rgb | null {
  if (!color) return null;
  ctx ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.fillStyle = '#010203';
  ctx.fillStyle = color;
  if (ctx.fillStyle === '#010203' && color.trim() !== '#010203') return null;
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

/**
 * Keeps the accent readable in every theme. After each render it reads the accent as resolved (attribute, page
 * variable, tenant branding or default) and the panel's colours; when the accent stands out from the panel by less
 * than 3:1 (WCAG 1.4.11) it is shifted towards the text colour just enough, and text on it is white or near-black,
 * whichever reaches 4.5:1 (1.4.3). It writes both into the root's inline style itself, before the frame is painted:
 * a render that resets that style is followed by this again, so no second render is needed.
 */
export class ContrastController implements ReactiveController {
  private media: MediaQueryList | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly root: () => Element | null | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.media = matchMedia('(prefers-color-scheme: dark)');
    this.media.addEventListener('change', this.remeasure);
  }

  hostDisconnected(): void {
    this.media?.removeEventListener('change', this.remeasure);
  }

  hostUpdated(): void {
    const root = this.root();
    if (!(root instanceof HTMLElement)) return;
    const style = getComputedStyle(root);
    const colours = ['--_brand', '--_bg', '--_fg'].map((name) => style.getPropertyValue(name).trim());
    // Most renders change no colour: the canvas is painted only when one did.
    const key = colours.join('|');
    if (key !== this.key) {
      const [brand, bg, fg] = colours.map(toRgb);
      if (!brand || !bg || !fg) return;
      const accent = ensureContrast(brand, bg, 3, fg);
      this.key = key;
      this.values = [hex(accent), hex(textOn(accent))];
    }
    const [ui, on] = this.values;
    if (root.style.getPropertyValue('--_accent-ui') !== ui) root.style.setProperty('--_accent-ui', ui);
    if (root.style.getPropertyValue('--_accent-on') !== on) root.style.setProperty('--_accent-on', on);
  }

  private key = '';
  private values: [string, string] = ['', ''];

  private readonly remeasure = () => this.host.requestUpdate();
}
