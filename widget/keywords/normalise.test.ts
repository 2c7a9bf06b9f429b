import { expect } from '@open-wc/testing';
// Through the module's index, as the extractor's evaluation (test/eval-keywords.mjs) imports it.
import * as keywords from './index.ts';

describe('normaliseStyle', () => {
  it('maps synonyms, spellings and casing to canonical ids', () => {
    expect(keywords.normaliseStyle('Neo Traditional')).to.equal('neo-traditional');
    expect(keywords.normaliseStyle('neo trad')).to.equal('neo-traditional');
    expect(keywords.normaliseStyle('Old School')).to.equal('traditional');
    expect(keywords.normaliseStyle('american traditional')).to.equal('traditional');
    expect(keywords.normaliseStyle('Irezumi')).to.equal('japanese');
    expect(keywords.normaliseStyle('traditional Japanese style')).to.equal('japanese');
    expect(keywords.normaliseStyle('fine_line')).to.equal('fine-line');
    expect(keywords.normaliseStyle('FINELINE')).to.equal('fine-line');
    expect(keywords.normaliseStyle('Watercolour')).to.equal('watercolor');
    expect(keywords.normaliseStyle('surreal')).to.equal('surrealism');
    expect(keywords.normaliseStyle('realistic')).to.equal('realism');
  });

  it('drops unknown styles and non-strings', () => {
    expect(keywords.normaliseStyle('vaporwave')).to.equal(null);
    expect(keywords.normaliseStyle('')).to.equal(null);
    expect(keywords.normaliseStyle(42)).to.equal(null);
    expect(keywords.normaliseStyle(null)).to.equal(null);
    expect(keywords.normaliseStyle({ style: 'japanese' })).to.equal(null);
  });
});

describe('normaliseColor', () => {
  it('folds black and grey spellings together', () => {
    for (const text of ['black & gray', 'Black and Grey', 'greywash', 'grayscale', 'black-and-grey']) {
      expect(keywords.normaliseColor(text), text).to.equal('black-and-grey');
    }
  });

  it('reads the colour words as full colour', () => {
    for (const text of ['colour', 'in color', 'coloured', 'lots of color', 'full colour', 'colorful']) {
      expect(keywords.normaliseColor(text), text).to.equal('full-color');
    }
  });

  it('maps shades to the single colours and drops the rest', () => {
    expect(keywords.normaliseColor('crimson')).to.equal('red');
    expect(keywords.normaliseColor('Turquoise')).to.equal('teal');
    expect(keywords.normaliseColor('gray')).to.equal('grey');
    expect(keywords.normaliseColor('golden')).to.equal('gold');
    expect(keywords.normaliseColor('plaid')).to.equal(null);
    expect(keywords.normaliseColor({})).to.equal(null);
  });
});

describe('normalisePlacement', () => {
  it('maps body words to one canonical area', () => {
    expect(keywords.normalisePlacement('Left Forearm')).to.equal('forearm');
    expect(keywords.normalisePlacement('bicep')).to.equal('upper-arm');
    expect(keywords.normalisePlacement('biceps')).to.equal('upper-arm');
    expect(keywords.normalisePlacement('rib cage')).to.equal('ribs');
    expect(keywords.normalisePlacement('behind my ear')).to.equal('behind-ear');
    expect(keywords.normalisePlacement('behind the ear')).to.equal('behind-ear');
    expect(keywords.normalisePlacement('back of my hand')).to.equal('hand');
    expect(keywords.normalisePlacement('inner wrist')).to.equal('wrist');
    expect(keywords.normalisePlacement('whole arm')).to.equal('sleeve');
    expect(keywords.normalisePlacement('upper_back')).to.equal('upper-back');
  });

  it('returns null for places outside the list', () => {
    expect(keywords.normalisePlacement('elbow')).to.equal(null);
    expect(keywords.normalisePlacement(3)).to.equal(null);
  });
});

describe('normaliseSize', () => {
  it('reads size words', () => {
    expect(keywords.normaliseSize('Tiny')).to.equal('tiny');
    expect(keywords.normaliseSize('very small')).to.equal('tiny');
    expect(keywords.normaliseSize('little')).to.equal('small');
    expect(keywords.normaliseSize('palm-sized')).to.equal('small');
    expect(keywords.normaliseSize('big')).to.equal('large');
    expect(keywords.normaliseSize('huge')).to.equal('extra-large');
    expect(keywords.normaliseSize('XL')).to.equal('extra-large');
    expect(keywords.normaliseSize('M')).to.equal('medium');
    expect(keywords.normaliseSize('full sleeve')).to.equal('extra-large');
    expect(keywords.normaliseSize('back piece')).to.equal('extra-large');
  });

  it('reads measurements in inches and centimetres', () => {
    expect(keywords.normaliseSize('1 inch')).to.equal('tiny');
    expect(keywords.normaliseSize('2 inch')).to.equal('small');
    expect(keywords.normaliseSize('2-inch')).to.equal('small');
    expect(keywords.normaliseSize('5cm')).to.equal('small');
    expect(keywords.normaliseSize('15 cm')).to.equal('medium');
    expect(keywords.normaliseSize('3 x 8 inches')).to.equal('large');
    expect(keywords.normaliseSize('30 centimetres')).to.equal('extra-large');
  });

  it('returns null for anything else', () => {
    expect(keywords.normaliseSize('whatever')).to.equal(null);
    expect(keywords.normaliseSize(7)).to.equal(null);
  });
});

describe('normaliseMotif', () => {
  it('singularises regular and irregular plurals', () => {
    expect(keywords.normaliseMotif('Wolves')).to.equal('wolf');
    expect(keywords.normaliseMotif('butterflies')).to.equal('butterfly');
    expect(keywords.normaliseMotif('Cherry Blossoms')).to.equal('cherry blossom');
    expect(keywords.normaliseMotif('daisies')).to.equal('daisy');
    expect(keywords.normaliseMotif('knives')).to.equal('knife');
    expect(keywords.normaliseMotif('leaves')).to.equal('leaf');
    expect(keywords.normaliseMotif('octopi')).to.equal('octopus');
    expect(keywords.normaliseMotif('foxes')).to.equal('fox');
  });

  it('keeps singular words that end in s and fixed plural motifs', () => {
    expect(keywords.normaliseMotif('compass')).to.equal('compass');
    expect(keywords.normaliseMotif('lotus')).to.equal('lotus');
    expect(keywords.normaliseMotif('hibiscus')).to.equal('hibiscus');
    expect(keywords.normaliseMotif('praying hands')).to.equal('praying hands');
  });

  it('drops generic heads and adjectives around a known motif', () => {
    expect(keywords.normaliseMotif('koi fish')).to.equal('koi');
    expect(keywords.normaliseMotif('lion head')).to.equal('lion');
    expect(keywords.normaliseMotif('hibiscus flower')).to.equal('hibiscus');
    expect(keywords.normaliseMotif('a howling wolf')).to.equal('wolf');
    expect(keywords.normaliseMotif('rose tattoo')).to.equal('rose');
  });

  it('keeps unknown motifs, singular and lower-case', () => {
    expect(keywords.normaliseMotif('Gramophones')).to.equal('gramophone');
    expect(keywords.normaliseMotif('zombies')).to.equal('zombie');
  });

  it('returns null for junk and for words that are not motifs', () => {
    expect(keywords.normaliseMotif('')).to.equal(null);
    expect(keywords.normaliseMotif('!!!')).to.equal(null);
    expect(keywords.normaliseMotif('red')).to.equal(null);
    expect(keywords.normaliseMotif('tiny')).to.equal(null);
    expect(keywords.normaliseMotif(5)).to.equal(null);
  });
});

describe('normaliseLettering', () => {
  it('strips surrounding quotes and keeps the case of the words', () => {
    expect(keywords.normaliseLettering('"still I rise"')).to.equal('still I rise');
    expect(keywords.normaliseLettering('\u2018Carpe Diem\u2019')).to.equal('Carpe Diem');
    expect(keywords.normaliseLettering(1990)).to.equal('1990');
  });

  it('treats empty and placeholder values as no lettering', () => {
    expect(keywords.normaliseLettering('  ')).to.equal(null);
    expect(keywords.normaliseLettering('null')).to.equal(null);
    expect(keywords.normaliseLettering('None')).to.equal(null);
    expect(keywords.normaliseLettering(['mom'])).to.equal(null);
  });
});

describe('normaliseKeywords', () => {
  it('fills a partial object with empty defaults', () => {
    expect(keywords.normaliseKeywords({ subject: ['wolf'] })).to.deep.equal({
      ...keywords.emptyKeywords(),
      subject: ['wolf'],
    });
  });

  it('accepts strings where lists belong, synonyms, plurals and wrong case', () => {
    const got = keywords.normaliseKeywords({
      subject: 'Wolves',
      elements: 'Cherry Blossoms; waves',
      style: 'Neo Trad, watercolour, vaporwave',
      colors: 'black & gray',
      placement: ['Left Forearm'],
      size: 'Palm sized',
      mood: ['Dark!!', 'GOTH', 3],
      lettering: '"still I rise"',
      exclude: 'Roses',
    });
    expect(got).to.deep.equal({
      subject: ['wolf'],
      elements: ['cherry blossom', 'wave'],
      style: ['neo-traditional', 'watercolor'],
      colors: ['black-and-grey'],
      placement: 'forearm',
      size: 'small',
      mood: ['dark', 'gothic'],
      lettering: 'still I rise',
      exclude: ['rose'],
    });
  });

  it('parses the JSON string of a tool call', () => {
    const got = keywords.normaliseKeywords('{"subject":["Koi Fish"],"style":["irezumi"],"placement":"rib cage"}');
    expect(got.subject).to.deep.equal(['koi']);
    expect(got.style).to.deep.equal(['japanese']);
    expect(got.placement).to.equal('ribs');
  });

  it('removes duplicates, repeats of the subject and anything excluded', () => {
    const got = keywords.normaliseKeywords({
      subject: ['Rose', 'roses'],
      elements: ['rose', 'thorns', 'skull'],
      colors: ['red', 'Red', 'crimson'],
      exclude: ['skulls', 'colour', 'text'],
    });
    expect(got.subject).to.deep.equal(['rose']);
    expect(got.elements).to.deep.equal(['thorn']);
    expect(got.colors).to.deep.equal(['red']);
    expect(got.exclude).to.deep.equal(['skull', 'full-color', 'script']);
  });

  it('keeps only the first of black-and-grey and full-color', () => {
    expect(keywords.normaliseKeywords({ colors: ['greywash', 'red', 'full colour'] }).colors).to.deep.equal([
      'black-and-grey',
      'red',
    ]);
  });

  it('reads "yin and yang" as one motif but "wolf and moon" as two', () => {
    expect(keywords.normaliseKeywords({ subject: 'yin and yang' }).subject).to.deep.equal(['yin yang']);
    expect(keywords.normaliseKeywords({ subject: 'wolf and moon' }).subject).to.deep.equal(['wolf', 'moon']);
  });

  it('never throws on bad input', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    circular.subject = circular;
    const hostile = Object.defineProperty({}, 'subject', {
      get: () => {
        throw new Error('boom');
      },
    });
    const inputs: unknown[] = [
      null,
      undefined,
      0,
      42,
      Number.NaN,
      true,
      '',
      '{',
      'not json',
      '[]',
      [],
      [[1]],
      Symbol('x'),
      10n,
      Object.create(null),
      circular,
      hostile,
      { subject: { deep: { deeper: 1 } } },
      { subject: [[['Wolves']], null, 7, { name: 'Fox' }, { junk: true }], style: [[null]], size: {}, mood: 5 },
    ];
    for (const input of inputs) {
      const got = keywords.normaliseKeywords(input);
      expect(Object.keys(got).sort()).to.deep.equal(Object.keys(keywords.emptyKeywords()).sort());
    }
    expect(keywords.normaliseKeywords(inputs[inputs.length - 1]).subject).to.deep.equal(['wolf', 'fox']);
    expect(keywords.normaliseKeywords(hostile)).to.deep.equal(keywords.emptyKeywords());
  });
});

describe('EXTRACT_KEYWORDS_TOOL', () => {
  const props = keywords.EXTRACT_KEYWORDS_TOOL.parameters.properties;

  it('is a Realtime function tool named extract_keywords with every field required, and optional labels', () => {
    expect(keywords.EXTRACT_KEYWORDS_TOOL.type).to.equal('function');
    expect(keywords.EXTRACT_KEYWORDS_TOOL.name).to.equal('extract_keywords');
    expect([...keywords.EXTRACT_KEYWORDS_TOOL.parameters.required].sort()).to.deep.equal(
      Object.keys(keywords.emptyKeywords()).sort(),
    );
    // labels is display only (the visitor's words for the motifs): the one property that is not a keyword.
    expect(Object.keys(props).sort()).to.deep.equal([...Object.keys(keywords.emptyKeywords()), 'labels'].sort());
    expect(props.labels.type).to.equal('object');
    expect(props.labels.additionalProperties).to.deep.equal({ type: 'string' });
  });

  it('lists the closed vocabularies as enums, nullable where the field may be null', () => {
    expect(props.style.items.enum).to.deep.equal([...keywords.STYLES]);
    expect(props.colors.items.enum).to.deep.equal([...keywords.COLORS]);
    expect(props.placement.enum).to.deep.equal([...keywords.PLACEMENTS, null]);
    expect(props.placement.type).to.deep.equal(['string', 'null']);
    expect(props.size.enum).to.deep.equal([...keywords.SIZES, null]);
    expect(props.lettering.type).to.deep.equal(['string', 'null']);
  });

  it('uses ids that the normaliser keeps as they are', () => {
    for (const style of keywords.STYLES) expect(keywords.normaliseStyle(style), style).to.equal(style);
    for (const color of keywords.COLORS) expect(keywords.normaliseColor(color), color).to.equal(color);
    for (const placement of keywords.PLACEMENTS)
      expect(keywords.normalisePlacement(placement), placement).to.equal(placement);
    for (const size of keywords.SIZES) expect(keywords.normaliseSize(size), size).to.equal(size);
  });

  it('comes with instructions that ask for the whole idea', () => {
    expect(keywords.KEYWORD_INSTRUCTIONS).to.contain('extract_keywords');
    expect(keywords.KEYWORD_INSTRUCTIONS).to.contain('WHOLE');
  });
});

describe('normaliseLabels', () => {
  const wolf = keywords.normaliseKeywords({
    subject: ['wolf'],
    elements: ['moons'],
    mood: ['dark'],
    exclude: ['rose'],
  });

  it("keeps the model's words for the keywords' motifs, by the English word the keywords hold", () => {
    const labels = { Wolf: 'Wolf', moons: ' Mond ', dark: 'düster', rose: 'Rose', 'fine-line': 'Fineline' };
    expect(keywords.normaliseLabels({ labels }, wolf)).to.deep.equal({
      wolf: 'Wolf',
      moon: 'Mond',
      dark: 'düster',
      rose: 'Rose',
    });
    expect(keywords.normaliseLabels(JSON.stringify({ labels: { wolf: 'Wolf' } }), wolf)).to.deep.equal({
      wolf: 'Wolf',
    });
  });

  it('ignores junk: not an object, labels that are not text, empty or too long, words the keywords lack', () => {
    for (const labels of ['Wolf', ['Wolf'], 42, null, true])
      expect(keywords.normaliseLabels({ labels }, wolf), JSON.stringify(labels)).to.deep.equal({});
    const junk = { wolf: 42, moon: { de: 'Mond' }, dark: '   ', rose: 'R'.repeat(49), bear: 'Bär' };
    expect(keywords.normaliseLabels({ labels: junk }, wolf)).to.deep.equal({});
    const own = JSON.parse('{"labels": {"__proto__": "x", "constructor": "y"}}') as unknown;
    expect(keywords.normaliseLabels(own, wolf)).to.deep.equal({});
    expect(keywords.normaliseLabels({ labels: { wolf: '123' } }, wolf), 'no letter').to.deep.equal({});
    expect(keywords.normaliseLabels(undefined, wolf)).to.deep.equal({});
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`thing${i}`, 'x']));
    expect(
      keywords.normaliseLabels({ labels: { ...many, wolf: 'Wolf' } }, wolf),
      'only the first 48 are read',
    ).to.deep.equal({});
  });

  it('never costs the keywords: a bad labels value leaves normaliseKeywords as it was', () => {
    const args = { subject: ['wolf'], placement: 'forearm' };
    expect(keywords.normaliseKeywords({ ...args, labels: 'junk' })).to.deep.equal(keywords.normaliseKeywords(args));
    expect(keywords.normaliseKeywords({ ...args, labels: { wolf: 'Wolf' } })).to.deep.equal(
      keywords.normaliseKeywords(args),
    );
  });
});
