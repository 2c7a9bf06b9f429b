import { expect } from '@open-wc/testing';
import { LANGUAGES, type Language } from '../i18n/languages.ts';
import { ENGLISH } from '../i18n/locale.ts';
import { describeKeywords } from './describe.ts';
import { idOf, labelOf, loadLabels, type LabelTable } from './labels.ts';
import { emptyKeywords, type Keywords } from './types.ts';
import { LOANWORDS as LATIN_LOANWORDS } from './labels/loanwords.ts';
import { COLORS, PLACEMENTS, SIZES, STYLES } from './vocab.ts';

const OTHERS = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
const GROUPS = { STYLES, PLACEMENTS, SIZES, COLORS };
const IDS: readonly string[] = [...STYLES, ...PLACEMENTS, ...SIZES, ...COLORS];
/** Scripts without Latin letters: a Latin letter in their labels is an English word left in by mistake. */
const NON_LATIN: readonly Language[] = ['ja', 'zh', 'ko', 'hi', 'ar', 'he'];
/** Style names studios keep in English whatever their language. */
const LOANWORDS = new Set<string>([
  ...Object.keys(LATIN_LOANWORDS),
  'traditional',
  'neo-traditional',
  'fine-line',
  'dotwork',
  'tribal',
  'minimalist',
  'sketch',
  'ornamental',
  'sleeve',
]);
/** Words a language writes as English does. Any other label that reads as its id is an untranslated copy. */
const SAME_WORD: Partial<Record<Language, readonly string[]>> = {
  de: ['hand', 'finger', 'orange', 'gold'],
  fr: ['sternum', 'orange'],
  nl: ['abstract', 'hand'],
};
const read = (s: string) => s.toLowerCase().replace(/[\s-]+/g, ' ');

async function table(lang: Exclude<Language, 'en'>): Promise<LabelTable> {
  const t = await loadLabels(lang);
  expect(t, `${lang} did not load`).to.not.equal(null);
  return t!;
}

describe('keyword label tables', () => {
  it('every language has a label for every canonical id, and nothing else', async () => {
    for (const lang of OTHERS) {
      const t = await table(lang);
      expect(Object.keys(t).sort(), lang).to.deep.equal([...IDS].sort());
      for (const id of IDS) {
        const label = t[id as keyof LabelTable];
        expect(label, `${lang} ${id}`).to.be.a('string');
        expect(label.trim(), `${lang} ${id}: blank or padded`).to.equal(label);
        expect(label.length, `${lang} ${id}: empty`).to.be.greaterThan(0);
      }
    }
  });

  it('no label is an English id copied by accident', async () => {
    for (const lang of OTHERS) {
      const t = await table(lang);
      for (const id of IDS) {
        const label = t[id as keyof LabelTable];
        if (NON_LATIN.includes(lang)) expect(label, `${lang} ${id}`).not.to.match(/[a-z]/i);
        else if (read(label) === read(id))
          expect(LOANWORDS.has(id) || SAME_WORD[lang]?.includes(id), `${lang} ${id}: "${label}"`).to.equal(true);
      }
    }
  });

  it("within one vocabulary a language's labels differ, so a typed label reads back as one id", async () => {
    for (const lang of OTHERS) {
      const t = await table(lang);
      for (const [name, ids] of Object.entries(GROUPS)) {
        const labels = ids.map((id) => t[id].toLocaleLowerCase(lang));
        expect(new Set(labels).size, `${lang} ${name}: ${labels.join(', ')}`).to.equal(labels.length);
        for (const id of ids) expect(idOf(t[id], lang, t, null), `${lang} ${id}`).to.equal(id);
      }
    }
  });

  it('English has no table: the ids show as they are', async () => {
    expect(await loadLabels('en')).to.equal(null);
  });
});

describe('labelOf / idOf', () => {
  const motifs = { wolf: 'Wolf', moon: 'Mond', dark: 'düster' };

  it('shows the table for canonical fields, the model for motifs, lettering as written', async () => {
    const de = await table('de');
    const cases: Array<[keyof Keywords, string, string, string?]> = [
      ['placement', 'forearm', 'Unterarm'],
      ['style', 'fine-line', 'Fineline'],
      ['colors', 'black-and-grey', 'Schwarz-Grau'],
      ['subject', 'wolf', 'Wolf'],
      ['elements', 'star', 'star', 'no label: the word itself'],
      ['exclude', 'red', 'Rot'],
      ['exclude', 'moon', 'Mond'],
      ['lettering', 'forearm', 'forearm'],
    ];
    for (const [field, value, shown, why] of cases) {
      expect(labelOf(field, value, de, motifs), why ?? `${field} ${value}`).to.equal(shown);
    }
    expect(labelOf('placement', 'forearm', null, motifs), 'before the table arrives').to.equal('forearm');
    expect(labelOf('subject', 'constructor', de, {}), 'only own keys').to.equal('constructor');
  });

  it('reads a label back to its keyword, case aside; other text stays as typed', async () => {
    const de = await table('de');
    const typed = { Unterarm: 'forearm', ' unterarm ': 'forearm', Mond: 'moon', Flügel: 'Flügel' };
    for (const [text, keyword] of Object.entries(typed)) expect(idOf(text, 'de', de, motifs), text).to.equal(keyword);
    expect(idOf('Unterarm', 'de', null, null), 'before the table arrives').to.equal('Unterarm');
  });

  it("describeKeywords writes each keyword's label; without labels it is as before", async () => {
    const de = await table('de');
    const k = { ...emptyKeywords(), subject: ['wolf'], placement: 'forearm', size: 'small', exclude: ['red'] };
    // English's words around them, to see the labels alone.
    expect(describeKeywords(k, ENGLISH.t, (f, v) => labelOf(f, v, de, motifs))).to.equal(
      'Wolf · on the Unterarm · klein · no Rot',
    );
    expect(describeKeywords(k, ENGLISH.t)).to.equal('wolf · on the forearm · small · no red');
  });
});
