import { expect } from '@open-wc/testing';
import { mergeKeywords } from './merge.ts';
import { emptyKeywords, type Keywords } from './types.ts';

function idea(partial: Partial<Keywords>): Keywords {
  return { ...emptyKeywords(), ...partial };
}

describe('mergeKeywords', () => {
  it('lets the later statement win for placement, size and lettering', () => {
    const current = idea({ placement: 'forearm', size: 'small', lettering: 'mom' });
    const got = mergeKeywords(current, { placement: 'calf', size: 'large', lettering: 'dad' });
    expect(got.placement).to.equal('calf');
    expect(got.size).to.equal('large');
    expect(got.lettering).to.equal('dad');
  });

  it('keeps scalar fields the update does not mention', () => {
    const current = idea({ placement: 'forearm', size: 'small', lettering: 'mom' });
    expect(mergeKeywords(current, { colors: ['red'] })).to.deep.equal({ ...current, colors: ['red'] });
    expect(mergeKeywords(current, { placement: null, size: null, lettering: null })).to.deep.equal(current);
  });

  it('unions list fields without duplicates, current items first', () => {
    const current = idea({ subject: ['wolf'], elements: ['moon'], style: ['fine-line'], mood: ['dark'] });
    const got = mergeKeywords(current, { elements: ['star', 'moon'], style: ['dotwork'], mood: ['dark', 'calm'] });
    expect(got.subject).to.deep.equal(['wolf']);
    expect(got.elements).to.deep.equal(['moon', 'star']);
    expect(got.style).to.deep.equal(['fine-line', 'dotwork']);
    expect(got.mood).to.deep.equal(['dark', 'calm']);
  });

  it('removes excluded items from subject, elements, style and colours and keeps them in exclude', () => {
    const current = idea({ subject: ['skull'], elements: ['rose', 'snake'], style: ['watercolor'], colors: ['red'] });
    const got = mergeKeywords(current, { exclude: ['rose', 'watercolor', 'red', 'skull'] });
    expect(got.subject).to.deep.equal([]);
    expect(got.elements).to.deep.equal(['snake']);
    expect(got.style).to.deep.equal([]);
    expect(got.colors).to.deep.equal([]);
    expect(got.exclude).to.deep.equal(['rose', 'watercolor', 'red', 'skull']);
  });

  it('takes an item out of exclude when it is asked for again', () => {
    const current = idea({ exclude: ['rose', 'full-color'] });
    const got = mergeKeywords(current, { elements: ['roses'], colors: ['full colour'] });
    expect(got.elements).to.deep.equal(['rose']);
    expect(got.colors).to.deep.equal(['full-color']);
    expect(got.exclude).to.deep.equal([]);
  });

  it('reads an update that both asks for and excludes an item as excluding it', () => {
    const got = mergeKeywords(idea({}), { elements: ['rose'], exclude: ['rose'] });
    expect(got.elements).to.deep.equal([]);
    expect(got.exclude).to.deep.equal(['rose']);
  });

  it('drops full-color when black-and-grey is chosen, and the other way round', () => {
    const colourful = idea({ colors: ['full-color', 'red'] });
    expect(mergeKeywords(colourful, { colors: ['black-and-grey'] }).colors).to.deep.equal(['red', 'black-and-grey']);
    const grey = idea({ colors: ['black-and-grey'] });
    expect(mergeKeywords(grey, { colors: ['full-color', 'blue'] }).colors).to.deep.equal(['full-color', 'blue']);
  });

  it('normalises a raw model payload before merging', () => {
    const got = mergeKeywords(idea({ subject: ['wolf'], style: ['traditional'] }), {
      subject: 'Wolves' as unknown as string[],
      style: ['Old School', 'neo trad'],
      colors: 'black & gray' as unknown as string[],
      placement: 'Left Bicep',
    });
    expect(got.subject).to.deep.equal(['wolf']);
    expect(got.style).to.deep.equal(['traditional', 'neo-traditional']);
    expect(got.colors).to.deep.equal(['black-and-grey']);
    expect(got.placement).to.equal('upper-arm');
  });

  it('moves a motif promoted to subject out of elements', () => {
    const got = mergeKeywords(idea({ subject: ['skull'], elements: ['rose'] }), { subject: ['rose'] });
    expect(got.subject).to.deep.equal(['skull', 'rose']);
    expect(got.elements).to.deep.equal([]);
  });

  it('does not mutate its inputs', () => {
    const current = idea({ subject: ['wolf'], exclude: ['rose'] });
    const update: Partial<Keywords> = { subject: ['rose'], exclude: ['wolf'] };
    const before = JSON.stringify([current, update]);
    mergeKeywords(current, update);
    expect(JSON.stringify([current, update])).to.equal(before);
  });

  it('survives junk updates', () => {
    const current = idea({ subject: ['wolf'], placement: 'forearm' });
    for (const junk of [null, undefined, 5, 'nonsense', [], { subject: 7, exclude: [[null]] }]) {
      expect(mergeKeywords(current, junk as unknown as Partial<Keywords>)).to.deep.equal(current);
    }
  });
});
