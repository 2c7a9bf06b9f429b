// WCAG 2.2 colour contrast (1.4.3 text 4.5:1, 1.4.11 non-text 3:1): pure functions over sRGB bytes, so the widget can
// choose readable text for any brand or accent colour a tenant or page sets.

export type Rgb = readonly [number, number, number];

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance, 0 (black) to 1 (white). */
export const luminance = ([r, g, b]: Rgb): number => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

/** Contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];
export const INK: Rgb = [17, 24, 39];

/**
 * Text for a background: white when it reaches 4.5:1, else the panel's near-black, else pure black. Against any
 * colour, white or pure black reaches at least 4.58:1 (a mid grey is the worst case), so this always passes.
 */
export function textOn(bg: Rgb): Rgb {
  if (contrast(WHITE, bg) >= 4.5) return WHITE;
  return contrast(INK, bg) >= 4.5 ? INK : BLACK;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as never;

/**
 * `color` itself when it stands out from `against` by at least `min`; else the least change towards `toward` (the
 * panel's text colour, which always contrasts with the panel) that does, so a brand colour is kept where it works.
 */
export function ensureContrast(color: Rgb, against: Rgb, min: number, toward: Rgb): Rgb {
  if (contrast(color, against) >= min) return color;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 12; i++) {
    const t = (lo + hi) / 2;
    if (contrast(mix(color, toward, t), against) >= min) hi = t;
    else lo = t;
  }
  return mix(color, toward, hi);
}

export const hex = (c: Rgb): string => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
