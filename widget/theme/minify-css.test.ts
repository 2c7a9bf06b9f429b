// The build squeezes every css`` of the widget and the console (vite.config.ts). Here the squeezed text of each
// real stylesheet must parse into the very rules the original does, as Chromium serialises them: a change to the
// squeezer that alters a selector, a value or a string fails here, not in a visitor's browser.
import { expect } from '@open-wc/testing';
import type { CSSResult, LitElement } from 'lit';
import { adminStyles, chartStyles, sectionStyles } from '../admin/styles.ts';
import { defineDesignParts } from '../parts/design.ts';
import '../voice-buddy.ts';
import { minifyCss } from './minify-css.ts';

/**
 * The rules as Chromium reads them. A custom property keeps its value's text as written, so the squeezed sheet writes
 * `var(--a,1px)` where the source has `var(--a, 1px)`: the same value once substituted. Spaces next to commas are the
 * one difference allowed.
 */
const rules = (text: string) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return [...sheet.cssRules].map((r) => r.cssText.replace(/\s*,\s*/g, ','));
};

const TAGS = [
  'voice-buddy',
  'voice-buddy-transcript',
  'voice-buddy-status-pill',
  'voice-buddy-keyword-chips',
  'voice-buddy-concept-gallery',
  'voice-buddy-concept-viewer',
];

describe('minifyCss', () => {
  it('drops comments and the whitespace no CSS reads, keeps what it does', () => {
    const text = `/* a comment */
      :host([variant='floating']) .root > .panel , a:hover {
        inline-size: calc(100% - 40px);  margin:  0 auto ;
      }`;
    expect(minifyCss(text)).to.equal(
      ":host([variant='floating']) .root>.panel,a:hover{inline-size:calc(100% - 40px);margin:0 auto}",
    );
  });

  it("every stylesheet of the widget's elements and of the console means the same squeezed", async () => {
    await defineDesignParts();
    const sheets: Array<[string, CSSResult]> = [
      ...TAGS.flatMap((tag) => {
        const element = customElements.get(tag) as typeof LitElement | undefined;
        expect(element, `${tag} is defined`).to.not.equal(undefined);
        return (element!.elementStyles as CSSResult[]).map((s, i): [string, CSSResult] => [`${tag} #${i}`, s]);
      }),
      ['admin', adminStyles],
      ['admin charts', chartStyles],
      ['admin sections', sectionStyles],
    ];
    expect(sheets.length).to.be.at.least(TAGS.length + 3);
    for (const [name, sheet] of sheets) {
      const original = rules(sheet.cssText);
      expect(original.length, `${name} has rules`).to.be.greaterThan(0);
      expect(rules(minifyCss(sheet.cssText)), name).to.deep.equal(original);
    }
  });
});
