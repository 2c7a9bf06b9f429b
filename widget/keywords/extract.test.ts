import { expect } from '@open-wc/testing';
import { extractKeywords } from './extract.ts';
import { emptyKeywords } from './types.ts';

describe('extractKeywords', () => {
  describe('whole sentences', () => {
    it('reads subject, elements, style, colour, placement and size together', () => {
      expect(
        extractKeywords('A big neo trad tiger with peonies and smoke on my outer thigh, full colour'),
      ).to.deep.equal({
        subject: ['tiger'],
        elements: ['peony', 'smoke'],
        style: ['neo-traditional'],
        colors: ['full-color'],
        placement: 'thigh',
        size: 'large',
        mood: [],
        lettering: null,
        exclude: [],
      });
    });

    it('reads a lettering-only piece as script', () => {
      expect(extractKeywords('just the word "breathe" on my inner wrist, really tiny')).to.deep.equal({
        ...emptyKeywords(),
        style: ['script'],
        placement: 'wrist',
        size: 'tiny',
        lettering: 'breathe',
      });
    });

    it('returns empty keywords for small talk, empty and non-string input', () => {
      expect(extractKeywords('Hi! How does pricing work?')).to.deep.equal(emptyKeywords());
      expect(extractKeywords('')).to.deep.equal(emptyKeywords());
      expect(extractKeywords(undefined as unknown as string)).to.deep.equal(emptyKeywords());
      expect(extractKeywords(42 as unknown as string)).to.deep.equal(emptyKeywords());
    });
  });

  describe('synonyms, plurals and British spellings', () => {
    it('maps style synonyms to canonical ids', () => {
      expect(extractKeywords('an old school swallow').style).to.deep.equal(['traditional']);
      expect(extractKeywords('American traditional eagle').style).to.deep.equal(['traditional']);
      expect(extractKeywords('irezumi koi').style).to.deep.equal(['japanese']);
      expect(extractKeywords('a traditional Japanese hannya').style).to.deep.equal(['japanese']);
      expect(extractKeywords('a watercolour hummingbird').style).to.deep.equal(['watercolor']);
      expect(extractKeywords('stippled moth').style).to.deep.equal(['dotwork']);
    });

    it('singularises motifs and folds variants', () => {
      expect(extractKeywords('two wolves under the stars'))
        .to.include({ placement: null })
        .and.to.deep.include({ subject: ['wolf'], elements: ['star'] });
      expect(extractKeywords('butterflies and daisies').subject).to.deep.equal(['butterfly']);
      expect(extractKeywords('a koi fish with cherry blossoms').elements).to.deep.equal(['cherry blossom']);
      expect(extractKeywords('a lion head').subject).to.deep.equal(['lion']);
    });

    it('reads British spellings of colours', () => {
      expect(extractKeywords('a colourful parrot').colors).to.deep.equal(['full-color']);
      expect(extractKeywords('a grey wolf').colors).to.deep.equal(['grey']);
      expect(extractKeywords('a stag in black and grey').colors).to.deep.equal(['black-and-grey']);
      expect(extractKeywords('an owl, greywash').colors).to.deep.equal(['black-and-grey']);
    });

    it('keeps named colours instead of full-color when only "a few colours" is said', () => {
      expect(extractKeywords('a bird with a few colours, maybe red and teal').colors).to.deep.equal(['red', 'teal']);
    });
  });

  describe('negation', () => {
    it('reads "no colour" as a black piece and excludes full colour', () => {
      const got = extractKeywords('a geometric fox, no colour please');
      expect(got.colors).to.deep.equal(['black']);
      expect(got.exclude).to.deep.equal(['full-color']);
    });

    it('excludes motifs after without / skip / no', () => {
      const without = extractKeywords('a dagger without roses');
      expect(without.subject).to.deep.equal(['dagger']);
      expect(without.elements).to.deep.equal([]);
      expect(without.exclude).to.deep.equal(['rose']);
      const skip = extractKeywords('skip the roses, I just want the snake');
      expect(skip.subject).to.deep.equal(['snake']);
      expect(skip.exclude).to.deep.equal(['rose']);
      expect(extractKeywords('a neo traditional owl, not watercolor').exclude).to.deep.equal(['watercolor']);
    });

    it('drops toned-down words without excluding them', () => {
      const dark = extractKeywords('a raven, not too dark');
      expect(dark.mood).to.deep.equal([]);
      expect(dark.exclude).to.deep.equal([]);
      const creepy = extractKeywords('a deer skull with antlers, no skulls that look too creepy though');
      expect(creepy.subject).to.deep.equal(['deer skull']);
      expect(creepy.exclude).to.deep.equal([]);
    });

    it('excludes script when the person wants no text', () => {
      expect(extractKeywords("don't want any text, just a compass").exclude).to.deep.equal(['script']);
    });

    it('ends the negated stretch at a comma or "but"', () => {
      const got = extractKeywords('no roses but lilies, with a moon');
      expect(got.exclude).to.deep.equal(['rose']);
      expect(got.subject).to.deep.equal(['lily']);
      expect(got.elements).to.deep.equal(['moon']);
    });
  });

  describe('lettering', () => {
    it('takes quoted words, straight or curly', () => {
      expect(extractKeywords("an anchor with the words 'refuse to sink'").lettering).to.equal('refuse to sink');
      expect(extractKeywords('a rose and "Carpe Diem"').lettering).to.equal('Carpe Diem');
      expect(extractKeywords('a rose and \u201cAmor Fati\u201d').lettering).to.equal('Amor Fati');
      expect(extractKeywords("a banner reading 'don't stop'").lettering).to.equal("don't stop");
    });

    it('does not read apostrophes as quotes', () => {
      expect(extractKeywords("I'd like my dog's paw print, it's for my mum's birthday").lettering).to.equal(null);
    });

    it('takes unquoted words after "that says", "reading", "with the words" and "the name"', () => {
      expect(extractKeywords('a swallow with a banner that says mom, on my chest').lettering).to.equal('mom');
      expect(extractKeywords('a scroll reading carpe diem under a watch').lettering).to.equal('carpe diem');
      expect(extractKeywords('with the words still I rise in script').lettering).to.equal('still I rise');
      expect(extractKeywords('praying hands and the name Maria underneath').lettering).to.equal('Maria');
    });

    it('does not draw the owner of a name', () => {
      const got = extractKeywords("my dog's name, Biscuit, with a little paw print");
      expect(got.lettering).to.equal('Biscuit');
      expect(got.subject).to.deep.equal(['paw print']);
    });

    it('writes dates and years in roman numerals when asked', () => {
      expect(extractKeywords('the date 04.12.2019 in roman numerals').lettering).to.equal('IV.XII.MMXIX');
      expect(extractKeywords('the roman numerals for 1987').lettering).to.equal('MCMLXXXVII');
    });

    it('keeps the hobby in "he loved reading" out of lettering', () => {
      expect(extractKeywords('he loved reading, so a stack of books').lettering).to.equal(null);
    });
  });

  describe('size', () => {
    it('reads size words', () => {
      expect(extractKeywords('a tiny heart').size).to.equal('tiny');
      expect(extractKeywords('a very small heart').size).to.equal('tiny');
      expect(extractKeywords('a little heart').size).to.equal('small');
      expect(extractKeywords('a palm sized heart').size).to.equal('small');
      expect(extractKeywords('a medium-sized heart').size).to.equal('medium');
      expect(extractKeywords('a huge heart').size).to.equal('extra-large');
    });

    it('reads dimensions', () => {
      expect(extractKeywords('a heart, 2 inch').size).to.equal('small');
      expect(extractKeywords('a 2-inch heart').size).to.equal('small');
      expect(extractKeywords('a heart about 5cm').size).to.equal('small');
      expect(extractKeywords('a heart, 15 cm, on my hip').size).to.equal('medium');
      expect(extractKeywords('a dragon 8 by 10 inches').size).to.equal('large');
    });

    it('sizes the piece from the area it covers', () => {
      expect(extractKeywords('a dragon, full sleeve').size).to.equal('extra-large');
      expect(extractKeywords('a big koi, full sleeve').size).to.equal('extra-large');
      expect(extractKeywords('a phoenix covering my whole back').size).to.equal('extra-large');
      expect(extractKeywords('a clock, half sleeve').size).to.equal('large');
      expect(extractKeywords('a lion across my upper back').size).to.equal('large');
      expect(extractKeywords('a pattern over the shoulder and down to the chest').size).to.equal('large');
      expect(extractKeywords('a word along my collarbone').size).to.equal(null);
    });
  });

  describe('placement', () => {
    it('maps body words to canonical areas', () => {
      expect(extractKeywords('on my bicep').placement).to.equal('upper-arm');
      expect(extractKeywords('on my rib cage').placement).to.equal('ribs');
      expect(extractKeywords('behind my ear').placement).to.equal('behind-ear');
      expect(extractKeywords('on the back of my hand').placement).to.equal('hand');
      expect(extractKeywords('on the side of my wrist').placement).to.equal('wrist');
      expect(extractKeywords('wrapped around my whole arm').placement).to.equal('sleeve');
    });

    it('tells a drawn hand from a hand to tattoo', () => {
      const drawn = extractKeywords('a hand holding a rose');
      expect(drawn.placement).to.equal(null);
      expect(drawn.subject).to.deep.equal(['hand']);
      expect(extractKeywords('a rose on my hand').placement).to.equal('hand');
      expect(extractKeywords('praying hands on my chest')).to.deep.include({
        subject: ['praying hands'],
        placement: 'chest',
      });
    });
  });

  describe('subject and elements', () => {
    it('makes the first motif the subject and the rest elements', () => {
      const got = extractKeywords('a skull with roses and a snake wrapped around it');
      expect(got.subject).to.deep.equal(['skull']);
      expect(got.elements).to.deep.equal(['rose', 'snake']);
    });

    it('puts what is framed before its frame, and backdrops after the main motif', () => {
      expect(extractKeywords('lace and filigree framing a cameo').subject).to.deep.equal(['cameo']);
      expect(extractKeywords('a banner with a swallow').subject).to.deep.equal(['swallow']);
      expect(extractKeywords('torn skin showing gears').subject).to.deep.equal(['gear']);
    });

    it('lets a specific motif replace the generic one it restates', () => {
      expect(extractKeywords('a samurai mask, hannya, with wind bars').subject).to.deep.equal(['hannya mask']);
      expect(extractKeywords('a bird, maybe a swallow').subject).to.deep.equal(['swallow']);
    });

    it('keeps scenery, dedications and hobbies out when something else is pictured', () => {
      expect(extractKeywords('I love the sea, so an octopus').subject).to.deep.equal(['octopus']);
      expect(extractKeywords('a paw print for my late dog').elements).to.deep.equal([]);
      expect(extractKeywords('a bear fishing for salmon').elements).to.deep.equal(['salmon']);
      expect(extractKeywords('something for my grandpa, he loved fishing').subject).to.deep.equal(['fishing']);
    });
  });

  describe('mood', () => {
    it('keeps feeling words, but not shades of colour', () => {
      expect(extractKeywords('something dark and gothic, a bat').mood).to.deep.equal(['dark', 'gothic']);
      expect(extractKeywords('a dark green snake').mood).to.deep.equal([]);
      expect(extractKeywords('a cartoon octopus').mood).to.deep.equal(['playful']);
    });
  });

  it('reads a refinement by its comparative as the mood ("make it bolder", "a bit darker")', () => {
    expect(extractKeywords('make it bolder').mood).to.deep.equal(['bold']);
    expect(extractKeywords('can it be a bit darker and softer').mood).to.have.members(['dark', 'soft']);
  });
});
