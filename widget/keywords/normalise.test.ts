import { expect } from '@open-wc/testing';
import {
  normaliseColor,
  normaliseKeywords,
  normaliseLettering,
  normaliseMotif,
  normalisePlacement,
  normaliseSize,
  normaliseStyle,
} from './normalise.ts';
import { EXTRACT_KEYWORDS_TOOL, KEYWORD_INSTRUCTIONS } from './tool.ts';
import { emptyKeywords } from './types.ts';
import { COLORS, PLACEMENTS, SIZES, STYLES } from './vocab.ts';

describe('normaliseStyle', () => {
  it('maps synonyms, spellings and casing to canonical ids', () => {
    expect(normaliseStyle('Neo Traditional')).to.equal('neo-traditional');
    expect(normaliseStyle('neo trad')).to.equal('neo-traditional');
    expect(normaliseStyle('Old School')).to.equal('traditional');
    expect(normaliseStyle('american traditional')).to.equal('traditional');
    expect(normaliseStyle('Irezumi')).to.equal('japanese');
    expect(normaliseStyle('traditional Japanese style')).to.equal('japanese');
    expect(normaliseStyle('fine_line')).to.equal('fine-line');
    expect(normaliseStyle('FINELINE')).to.equal('fine-line');
    expect(normaliseStyle('Watercolour')).to.equal('watercolor');
    expect(normaliseStyle('surreal')).to.equal('surrealism');
    expect(normaliseStyle('realistic')).to.equal('realism');
  });

  it('drops unknown styles and non-strings', () => {
    expect(normaliseStyle('vaporwave')).to.equal(null);
    expect(normaliseStyle('')).to.equal(null);
    expect(normaliseStyle(42)).to.equal(null);
    expect(normaliseStyle(null)).to.equal(null);
    expect(normaliseStyle({ style: 'japanese' })).to.equal(null);
  });
});

describe('normaliseColor', () => {
  it('folds black and grey spellings together', () => {
    for (const text of ['black & gray', 'Black and Grey', 'greywash', 'grayscale', 'black-and-grey']) {
      expect(normaliseColor(text), text).to.equal('black-and-grey');
    }
  });

  it('reads the colour words as full colour', () => {
    for (const text of ['colour', 'in color', 'coloured', 'lots of color', 'full colour', 'colorful']) {
      expect(normaliseColor(text), text).to.equal('full-color');
    }
  });

  it('maps shades to the single colours and drops the rest', () => {
    expect(normaliseColor('crimson')).to.equal('red');
    expect(normaliseColor('Turquoise')).to.equal('teal');
    expect(normaliseColor('gray')).to.equal('grey');
    expect(normaliseColor('golden')).to.equal('gold');
    expect(normaliseColor('plaid')).to.equal(null);
    expect(normaliseColor({})).to.equal(null);
  });
});

describe('normalisePlacement', () => {
  it('maps body words to one canonical area', () => {
    expect(normalisePlacement('Left Forearm')).to.equal('forearm');
    expect(normalisePlacement('bicep')).to.equal('upper-arm');
    expect(normalisePlacement('biceps')).to.equal('upper-arm');
    expect(normalisePlacement('rib cage')).to.equal('ribs');
    expect(normalisePlacement('behind my ear')).to.equal('behind-ear');
    expect(normalisePlacement('behind the ear')).to.equal('behind-ear');
    expect(normalisePlacement('back of my hand')).to.equal('hand');
    expect(normalisePlacement('inner wrist')).to.equal('wrist');
    expect(normalisePlacement('whole arm')).to.equal('sleeve');
    expect(normalisePlacement('upper_back')).to.equal('upper-back');
  });

  it('returns null for places outside the list', () => {
    expect(normalisePlacement('elbow')).to.equal(null);
    expect(normalisePlacement(3)).to.equal(null);
  });
});

describe('normaliseSize', () => {
  it('reads size words', () => {
    expect(normaliseSize('Tiny')).to.equal('tiny');
    expect(normaliseSize('very small')).to.equal('tiny');
    expect(normaliseSize('little')).to.equal('small');
    expect(normaliseSize('palm-sized')).to.equal('small');
    expect(normaliseSize('big')).to.equal('large');
    expect(normaliseSize('huge')).to.equal('extra-large');
    expect(normaliseSize('XL')).to.equal('extra-large');
    expect(normaliseSize('M')).to.equal('medium');
    expect(normaliseSize('full sleeve')).to.equal('extra-large');
    expect(normaliseSize('back piece')).to.equal('extra-large');
  });

  it('reads measurements in inches and centimetres', () => {
    expect(normaliseSize('1 inch')).to.equal('tiny');
    expect(normaliseSize('2 inch')).to.equal('small');
    expect(normaliseSize('2-inch')).to.equal('small');
    expect(normaliseSize('5cm')).to.equal('small');
    expect(normaliseSize('15 cm')).to.equal('medium');
    expect(normaliseSize('3 x 8 inches')).to.equal('large');
    expect(normaliseSize('30 centimetres')).to.equal('extra-large');
  });

  it('returns null for anything else', () => {
    expect(normaliseSize('whatever')).to.equal(null);
    expect(normaliseSize(7)).to.equal(null);
  });
});

describe('normaliseMotif', () => {
  it('singularises regular and irregular plurals', () => {
    expect(normaliseMotif('Wolves')).to.equal('wolf');
    expect(normaliseMotif('butterflies')).to.equal('butterfly');
    expect(normaliseMotif('Cherry Blossoms')).to.equal('cherry blossom');
    expect(normaliseMotif('daisies')).to.equal('daisy');
    expect(normaliseMotif('knives')).to.equal('knife');
    expect(normaliseMotif('leaves')).to.equal('leaf');
    expect(normaliseMotif('octopi')).to.equal('octopus');
    expect(normaliseMotif('foxes')).to.equal('fox');
  });

  it('keeps singular words that end in s and fixed plural motifs', () => {
    expect(normaliseMotif('compass')).to.equal('compass');
    expect(normaliseMotif('lotus')).to.equal('lotus');
    expect(normaliseMotif('hibiscus')).to.equal('hibiscus');
    expect(normaliseMotif('praying hands')).to.equal('praying hands');
  });

  it('drops generic heads and adjectives around a known motif', () => {
    expect(normaliseMotif('koi fish')).to.equal('koi');
    expect(normaliseMotif('lion head')).to.equal('lion');
    expect(normaliseMotif('hibiscus flower')).to.equal('hibiscus');
    expect(normaliseMotif('a howling wolf')).to.equal('wolf');
    expect(normaliseMotif('rose tattoo')).to.equal('rose');
  });

  it('keeps unknown motifs, singular and lower-case', () => {
    expect(normaliseMotif('Gramophones')).to.equal('gramophone');
    expect(normaliseMotif('zombies')).to.equal('zombie');
  });

  it('returns null for junk and for words that are not motifs', () => {
    expect(normaliseMotif('')).to.equal(null);
    expect(normaliseMotif('!!!')).to.equal(null);
    expect(normaliseMotif('red')).to.equal(null);
    expect(normaliseMotif('tiny')).to.equal(null);
    expect(normaliseMotif(5)).to.equal(null);
  });
});

describe('normaliseLettering', () => {
  it('strips surrounding quotes and keeps the case of the words', () => {
    expect(normaliseLettering('"still I rise"')).to.equal('still I rise');
    expect(normaliseLettering('\u2018Carpe Diem\u2019')).to.equal('Carpe Diem');
    expect(normaliseLettering(1990)).to.equal('1990');
  });

  it('treats empty and placeholder values as no lettering', () => {
    expect(normaliseLettering('  ')).to.equal(null);
    expect(normaliseLettering('null')).to.equal(null);
    expect(normaliseLettering('None')).to.equal(null);
    expect(normaliseLettering(['mom'])).to.equal(null);
  });
});

describe('normaliseKeywords', () => {
  it('fills a partial object with empty defaults', () => {
    expect(normaliseKeywords({ subject: ['wolf'] })).to.deep.equal({ ...emptyKeywords(), subject: ['wolf'] });
  });

  it('accepts strings where lists belong, synonyms, plurals and wrong case', () => {
    const got = normaliseKeywords({
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
    const got = normaliseKeywords('{"subject":["Koi Fish"],"style":["irezumi"],"placement":"rib cage"}');
    expect(got.subject).to.deep.equal(['koi']);
    expect(got.style).to.deep.equal(['japanese']);
    expect(got.placement).to.equal('ribs');
  });

  it('removes duplicates, repeats of the subject and anything excluded', () => {
    const got = normaliseKeywords({
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
    expect(normaliseKeywords({ colors: ['greywash', 'red', 'full colour'] }).colors).to.deep.equal([
      'black-and-grey',
      'red',
    ]);
  });

  it('reads "yin and yang" as one motif but "wolf and moon" as two', () => {
    expect(normaliseKeywords({ subject: 'yin and yang' }).subject).to.deep.equal(['yin yang']);
    expect(normaliseKeywords({ subject: 'wolf and moon' }).subject).to.deep.equal(['wolf', 'moon']);
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
      const got = normaliseKeywords(input);
      expect(Object.keys(got).sort()).to.deep.equal(Object.keys(emptyKeywords()).sort());
    }
    expect(normaliseKeywords(inputs[inputs.length - 1]).subject).to.deep.equal(['wolf', 'fox']);
    expect(normaliseKeywords(hostile)).to.deep.equal(emptyKeywords());
  });
});

describe('EXTRACT_KEYWORDS_TOOL', () => {
  const props = EXTRACT_KEYWORDS_TOOL.parameters.properties;

  it('is a Realtime function tool named extract_keywords with every field required', () => {
    expect(EXTRACT_KEYWORDS_TOOL.type).to.equal('function');
    expect(EXTRACT_KEYWORDS_TOOL.name).to.equal('extract_keywords');
    expect([...EXTRACT_KEYWORDS_TOOL.parameters.required].sort()).to.deep.equal(Object.keys(emptyKeywords()).sort());
    expect(Object.keys(props).sort()).to.deep.equal(Object.keys(emptyKeywords()).sort());
  });

  it('lists the closed vocabularies as enums, nullable where the field may be null', () => {
    expect(props.style.items.enum).to.deep.equal([...STYLES]);
    expect(props.colors.items.enum).to.deep.equal([...COLORS]);
    expect(props.placement.enum).to.deep.equal([...PLACEMENTS, null]);
    expect(props.placement.type).to.deep.equal(['string', 'null']);
    expect(props.size.enum).to.deep.equal([...SIZES, null]);
    expect(props.lettering.type).to.deep.equal(['string', 'null']);
  });

  it('uses ids that the normaliser keeps as they are', () => {
    for (const style of STYLES) expect(normaliseStyle(style), style).to.equal(style);
    for (const color of COLORS) expect(normaliseColor(color), color).to.equal(color);
    for (const placement of PLACEMENTS) expect(normalisePlacement(placement), placement).to.equal(placement);
    for (const size of SIZES) expect(normaliseSize(size), size).to.equal(size);
  });

  it('comes with instructions that ask for the whole idea', () => {
    expect(KEYWORD_INSTRUCTIONS).to.contain('extract_keywords');
    expect(KEYWORD_INSTRUCTIONS).to.contain('WHOLE');
  });
});
