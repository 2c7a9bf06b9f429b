import type { Keywords } from '../../widget/keywords/types.ts';
import { altText, humanise } from './prompt.ts';
import type { Emit } from './emit.ts';

/**
 * The built-in generator of sandbox mode: three SVG concept cards drawn from the keywords, no network. It is a
 * stand-in that shows the whole flow (progress, concepts, gallery) on a fresh `npm start`, not an artist: each
 * card writes the keywords on it and draws simple motif shapes in a palette taken from the colours.
 */

const W = 600;
const H = 800;

const INK: Record<string, string> = {
  red: '#c0392b',
  blue: '#2e6fd8',
  green: '#2f9e5b',
  yellow: '#e8b923',
  orange: '#e67e22',
  purple: '#8e44ad',
  pink: '#e86aa6',
  white: '#f4f1ea',
  gold: '#c9a227',
  teal: '#1fa5a0',
  brown: '#8b5a2b',
  black: '#141414',
  grey: '#7a7a7a',
};

/** Colours to draw with: named colours first, then what the broad choices mean; plain ink when nothing was said. */
export function palette(k: Keywords): string[] {
  const excluded = new Set(k.exclude);
  const out: string[] = [];
  for (const c of k.colors) {
    if (excluded.has(c)) continue;
    if (c === 'black-and-grey') out.push('#141414', '#4d4d4d', '#9a9a9a');
    else if (c === 'full-color') out.push('#c0392b', '#e8b923', '#2e6fd8', '#2f9e5b');
    else if (INK[c]) out.push(INK[c]);
  }
  const unique = [...new Set(out)];
  if (unique.length === 0) return ['#141414', '#5a5a5a', '#a0a0a0'];
  if (unique.length === 1) unique.push(unique[0] === '#141414' ? '#7a7a7a' : '#141414');
  return unique;
}

/** Escapes text for XML content and attributes, dropping characters XML 1.0 does not allow at all. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A few recognisable shapes; anything else gets a geometric shape picked by a stable hash of its name. */
function motif(name: string, cx: number, cy: number, r: number, fill: string, stroke: string): string {
  const n = name.toLowerCase();
  const a = (attrs: string) =>
    `${attrs} fill="${fill}" stroke="${stroke}" stroke-width="${Math.max(2, r / 14).toFixed(1)}"`;
  const star = (points: number, inner: number) =>
    Array.from({ length: points * 2 }, (_, i) => {
      const rad = i % 2 ? r * inner : r;
      const t = (Math.PI * i) / points - Math.PI / 2;
      return `${(cx + rad * Math.cos(t)).toFixed(1)},${(cy + rad * Math.sin(t)).toFixed(1)}`;
    }).join(' ');
  if (/moon|crescent/.test(n)) {
    return `<path ${a('')} d="M ${cx} ${cy - r} A ${r} ${r} 0 0 0 ${cx} ${cy + r} A ${r * 0.55} ${r} 0 0 1 ${cx} ${cy - r} Z"/>`;
  }
  if (/star|compass/.test(n))
    return `<polygon ${a('')} points="${star(n.includes('compass') ? 4 : 5, n.includes('compass') ? 0.25 : 0.45)}"/>`;
  if (/sun/.test(n))
    return `<polygon ${a('')} points="${star(12, 0.7)}"/><circle ${a(`cx="${cx}" cy="${cy}" r="${r * 0.45}"`)}/>`;
  if (/heart/.test(n)) {
    return `<path ${a('')} d="M ${cx} ${cy + r * 0.8} C ${cx - r * 1.4} ${cy - r * 0.1} ${cx - r * 0.6} ${cy - r * 1.1} ${cx} ${cy - r * 0.35} C ${cx + r * 0.6} ${cy - r * 1.1} ${cx + r * 1.4} ${cy - r * 0.1} ${cx} ${cy + r * 0.8} Z"/>`;
  }
  if (/rose|flower|lotus|peony|daisy|blossom|sunflower|lily/.test(n)) {
    const petals = Array.from({ length: 6 }, (_, i) => {
      const t = (Math.PI * 2 * i) / 6;
      return `<circle ${a(`cx="${(cx + r * 0.5 * Math.cos(t)).toFixed(1)}" cy="${(cy + r * 0.5 * Math.sin(t)).toFixed(1)}" r="${(r * 0.45).toFixed(1)}"`)}/>`;
    }).join('');
    return `${petals}<circle cx="${cx}" cy="${cy}" r="${(r * 0.3).toFixed(1)}" fill="${stroke}"/>`;
  }
  if (/snake|serpent|wave|dragon|ocean|river/.test(n)) {
    return `<path fill="none" stroke="${fill}" stroke-width="${(r / 4).toFixed(1)}" stroke-linecap="round" d="M ${cx - r} ${cy} C ${cx - r / 2} ${cy - r}, ${cx} ${cy + r}, ${cx + r / 2} ${cy} S ${cx + r} ${cy - r / 2}, ${cx + r} ${cy - r / 3}"/>`;
  }
  if (/mountain|pyramid|triangle|tree|pine/.test(n)) {
    return `<polygon ${a('')} points="${cx},${cy - r} ${cx + r},${cy + r * 0.8} ${cx - r},${cy + r * 0.8}"/>`;
  }
  if (/wolf|fox|cat|tiger|lion|bear|dog/.test(n)) {
    return `<polygon ${a('')} points="${cx - r},${cy - r} ${cx - r * 0.35},${cy - r * 0.45} ${cx + r * 0.35},${cy - r * 0.45} ${cx + r},${cy - r} ${cx + r * 0.75},${cy + r * 0.2} ${cx},${cy + r} ${cx - r * 0.75},${cy + r * 0.2}"/>`;
  }
  if (/bird|swallow|raven|crow|eagle|phoenix|butterfly|moth/.test(n)) {
    return `<path ${a('')} d="M ${cx} ${cy + r * 0.3} Q ${cx - r * 0.6} ${cy - r} ${cx - r * 1.2} ${cy - r * 0.4} Q ${cx - r * 0.5} ${cy - r * 0.2} ${cx} ${cy + r * 0.3} Q ${cx + r * 0.5} ${cy - r * 0.2} ${cx + r * 1.2} ${cy - r * 0.4} Q ${cx + r * 0.6} ${cy - r} ${cx} ${cy + r * 0.3} Z"/>`;
  }
  if (/koi|fish|shark|whale|dolphin|carp/.test(n)) {
    return `<polygon ${a('')} points="${cx + r * 0.5},${cy} ${cx + r},${cy - r * 0.5} ${cx + r},${cy + r * 0.5}"/><ellipse ${a(`cx="${cx - r * 0.15}" cy="${cy}" rx="${r * 0.75}" ry="${r * 0.42}"`)}/><circle cx="${cx - r * 0.55}" cy="${cy - r * 0.08}" r="${r * 0.07}" fill="${stroke}"/>`;
  }
  if (/skull|eye|clock|globe|planet/.test(n)) {
    return `<circle ${a(`cx="${cx}" cy="${cy}" r="${r * 0.8}"`)}/><circle cx="${cx - r * 0.3}" cy="${cy - r * 0.1}" r="${r * 0.18}" fill="${stroke}"/><circle cx="${cx + r * 0.3}" cy="${cy - r * 0.1}" r="${r * 0.18}" fill="${stroke}"/>`;
  }
  if (/dagger|sword|knife|arrow|anchor|cross/.test(n)) {
    return `<polygon ${a('')} points="${cx},${cy - r} ${cx + r * 0.18},${cy + r * 0.5} ${cx},${cy + r} ${cx - r * 0.18},${cy + r * 0.5}"/><rect x="${cx - r * 0.5}" y="${cy + r * 0.35}" width="${r}" height="${r * 0.12}" fill="${stroke}"/>`;
  }
  const shapes = [
    () => `<circle ${a(`cx="${cx}" cy="${cy}" r="${r * 0.85}"`)}/>`,
    () => `<polygon ${a('')} points="${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}"/>`,
    () => `<polygon ${a('')} points="${star(6, 0.87)}"/>`,
  ];
  return shapes[hash(n) % shapes.length]!();
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const LAYOUTS = ['badge', 'panel', 'diamond'] as const;
type Layout = (typeof LAYOUTS)[number];

/** One card as SVG text. `variation` picks the layout and rotates the palette, so the three cards differ. */
export function drawCard(k: Keywords, variation: number): string {
  const layout: Layout = LAYOUTS[variation % LAYOUTS.length]!;
  const colors = palette(k);
  const pick = (i: number) => colors[(i + variation) % colors.length]!;
  const ink = '#141414'; // outlines and titles stay dark, whatever the palette, so the card reads
  const subject = k.subject[0] ?? k.elements[0] ?? 'motif';
  const elements = [...k.subject.slice(1), ...k.elements.filter((e) => e !== subject)].slice(0, 6);
  const paper = variation === 1 ? '#f7f1e3' : '#fbfaf7';
  const cx = W / 2;
  const cy = layout === 'panel' ? 330 : 320;
  const frame =
    layout === 'badge'
      ? `<circle cx="${cx}" cy="${cy}" r="220" fill="none" stroke="${ink}" stroke-width="6"/><circle cx="${cx}" cy="${cy}" r="206" fill="none" stroke="${pick(2)}" stroke-width="2" stroke-dasharray="6 8"/>`
      : layout === 'panel'
        ? `<rect x="70" y="70" width="460" height="520" rx="18" fill="none" stroke="${ink}" stroke-width="6"/><rect x="88" y="88" width="424" height="484" rx="10" fill="none" stroke="${pick(2)}" stroke-width="2"/>`
        : `<polygon points="${cx},${cy - 250} ${cx + 230},${cy} ${cx},${cy + 250} ${cx - 230},${cy}" fill="none" stroke="${ink}" stroke-width="6"/>`;
  const orbit = layout === 'panel' ? 185 : 160;
  const satellites = elements
    .map((name, i) => {
      const t = (Math.PI * 2 * i) / Math.max(elements.length, 1) - Math.PI / 2 + variation * 0.5;
      return motif(name, cx + orbit * Math.cos(t), cy + orbit * Math.sin(t), 34, pick(i + 1), ink);
    })
    .join('');
  const lines = [
    k.style.length ? k.style.map(humanise).join(' · ') : 'custom design',
    [k.placement && humanise(k.placement), k.size && humanise(k.size)].filter(Boolean).join(' · '),
    k.mood.length ? k.mood.map(humanise).join(', ') : '',
  ].filter(Boolean);
  const banner = k.lettering
    ? `<path d="M 90 ${cy + 230} L 510 ${cy + 230} L 490 ${cy + 262} L 510 ${cy + 294} L 90 ${cy + 294} L 110 ${cy + 262} Z" fill="${pick(0)}" stroke="${ink}" stroke-width="3"/>` +
      `<text x="${cx}" y="${cy + 271}" text-anchor="middle" font-family="Georgia, serif" font-style="italic" font-size="26" fill="${paper}">${escapeXml(clip(k.lettering, 34))}</text>`
    : '';
  const caption = [
    `<text x="${cx}" y="${H - 122}" text-anchor="middle" font-family="Georgia, serif" font-size="34" font-weight="bold" fill="${ink}">${escapeXml(clip([subject, ...elements].map(humanise).join(' + '), 30))}</text>`,
    ...lines.map(
      (line, i) =>
        `<text x="${cx}" y="${H - 86 + i * 26}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="20" fill="#333">${escapeXml(clip(line, 48))}</text>`,
    ),
  ].join('');
  const excluded = k.exclude.length
    ? `<text x="${W - 24}" y="36" text-anchor="end" font-family="Helvetica, Arial, sans-serif" font-size="14" fill="#777">${escapeXml(clip(`no ${k.exclude.map(humanise).join(', no ')}`, 60))}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">` +
    `<rect width="${W}" height="${H}" fill="${paper}"/>` +
    `<text x="24" y="36" font-family="Helvetica, Arial, sans-serif" font-size="14" fill="#777">sandbox concept ${variation + 1} · ${layout}</text>` +
    excluded +
    frame +
    satellites +
    motif(subject, cx, cy, 95, pick(0), ink) +
    banner +
    caption +
    `</svg>`
  );
}

/** SVG as a data URL the widget can put straight into an <img>, where scripts in SVG never run. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export const SANDBOX_CONCEPTS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Emits the stages a real generator goes through, with short pauses so a progress bar has something to show:
 * about 1 s in all, and the first concept after about 0.5 s.
 */
export async function runSandbox(k: Keywords, emit: Emit, pauseMs = 180): Promise<void> {
  await emit.progress(5, 'composing');
  await sleep(pauseMs);
  for (let i = 0; i < SANDBOX_CONCEPTS; i++) {
    await emit.progress(15 + i * 28, 'drawing');
    await sleep(pauseMs);
    await emit.concept(i, svgDataUrl(drawCard(k, i)), altText(k, i, SANDBOX_CONCEPTS, LAYOUTS[i]));
  }
  await emit.progress(98, 'finishing');
  await sleep(pauseMs / 2);
  await emit.done(SANDBOX_CONCEPTS);
}
