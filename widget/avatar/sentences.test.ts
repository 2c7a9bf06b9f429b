import { expect } from '@open-wc/testing';
import { SentenceSplitter } from './sentences.ts';

/** Feeds the deltas, then flushes; returns every sentence in order. */
function split(...deltas: string[]): string[] {
  const splitter = new SentenceSplitter();
  const out = deltas.flatMap((d) => splitter.push(d));
  const rest = splitter.flush();
  return rest === null ? out : [...out, rest];
}

/** Feeds the text one character at a time, the worst case for decisions that depend on what comes next. */
function splitByChar(text: string): string[] {
  return split(...Array.from(text));
}

describe('SentenceSplitter', () => {
  it('cuts at . ! ? followed by whitespace', () => {
    expect(split('Hello there. How are you? Great! Bye.')).to.deep.equal([
      'Hello there.',
      'How are you?',
      'Great!',
      'Bye.',
    ]);
  });

  it('returns a sentence from push as soon as the whitespace after it arrives', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('Hello there.')).to.deep.equal([]);
    expect(splitter.push(' How')).to.deep.equal(['Hello there.']);
    expect(splitter.push(' are you?')).to.deep.equal([]);
    expect(splitter.push('\n')).to.deep.equal(['How are you?']);
    expect(splitter.flush()).to.equal(null);
  });

  it('does not cut without whitespace after the punctuation', () => {
    expect(split('Visit example.com today. Really?!Yes.')).to.deep.equal(['Visit example.com today.', 'Really?!Yes.']);
  });

  it('does not cut after abbreviations', () => {
    const text =
      'Dr. Smith met Mr. Jones and Mrs. Lee. Ms. Park lives on Main St. near the park. ' +
      'Bring fruit, e.g. apples, i.e. something sweet, etc. and so on. It was Ali vs. Frazier.';
    expect(split(text)).to.deep.equal([
      'Dr. Smith met Mr. Jones and Mrs. Lee.',
      'Ms. Park lives on Main St. near the park.',
      'Bring fruit, e.g. apples, i.e. something sweet, etc. and so on.',
      'It was Ali vs. Frazier.',
    ]);
  });

  it('matches abbreviations whole-word and case-insensitively', () => {
    expect(split('DR. Who. (e.g. this) Items. Done.')).to.deep.equal(['DR. Who.', '(e.g. this) Items.', 'Done.']);
  });

  it('treats No. as an abbreviation only before a number', () => {
    expect(split('Take road No. 5 north. No. I would not.')).to.deep.equal([
      'Take road No. 5 north.',
      'No.',
      'I would not.',
    ]);
  });

  it('waits to see what follows No. before cutting', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('No. ')).to.deep.equal([]);
    expect(splitter.push('7 is mine. ')).to.deep.equal(['No. 7 is mine.']);
    expect(splitter.push('No.  ')).to.deep.equal([]);
    expect(splitter.push('Never.')).to.deep.equal(['No.']);
    expect(splitter.flush()).to.equal('Never.');
  });

  it('does not cut inside numbers', () => {
    expect(split('Pi is about 3.14 and the version is v2.0 now. It costs $1,299.99. Done.')).to.deep.equal([
      'Pi is about 3.14 and the version is v2.0 now.',
      'It costs $1,299.99.',
      'Done.',
    ]);
  });

  it('waits for the next delta when a delta ends in a period: "3." + "5 metres."', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('The wall is 3.')).to.deep.equal([]);
    expect(splitter.push('5 metres. It is')).to.deep.equal(['The wall is 3.5 metres.']);
    expect(splitter.push(' tall.')).to.deep.equal([]);
    expect(splitter.flush()).to.equal('It is tall.');
  });

  it('still cuts after a number that ends a sentence', () => {
    expect(split('I counted 3. Then I stopped.')).to.deep.equal(['I counted 3.', 'Then I stopped.']);
  });

  it('keeps a list marker with its item', () => {
    expect(split('1. Open the box. 2. Take it out.')).to.deep.equal(['1. Open the box.', '2. Take it out.']);
  });

  it('cuts after an ellipsis, never inside one', () => {
    expect(split('Well... I think so… Maybe.')).to.deep.equal(['Well...', 'I think so…', 'Maybe.']);
    expect(split('Wait..', '. Now.')).to.deep.equal(['Wait...', 'Now.']);
    expect(split('Hmm...what now?')).to.deep.equal(['Hmm...what now?']);
  });

  it('cuts at CJK terminators without whitespace, as soon as they arrive', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('你好。今天')).to.deep.equal(['你好。']);
    expect(splitter.push('天气很好！你呢？')).to.deep.equal(['今天天气很好！', '你呢？']);
    expect(splitter.flush()).to.equal(null);
  });

  it('keeps CJK closing brackets and repeated terminators with their sentence', () => {
    expect(split('他说：「好的。」然后走了！！真的？」')).to.deep.equal([
      '他说：「好的。」',
      '然后走了！！',
      '真的？」',
    ]);
  });

  it('drops a closer that arrives after a CJK sentence was already cut', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('「好的。')).to.deep.equal(['「好的。']);
    expect(splitter.push('」')).to.deep.equal([]);
    expect(splitter.push('他走了。')).to.deep.equal(['他走了。']);
    expect(splitter.push(' ')).to.deep.equal([]); // the guard outlives a delta of only whitespace
    expect(splitter.push('』好。')).to.deep.equal(['好。']);
  });

  it('keeps closing quotes and brackets with the sentence', () => {
    expect(split('She said "Stop." Then he left. (It was late.) “Really?” Yes!)')).to.deep.equal([
      'She said "Stop."',
      'Then he left.',
      '(It was late.)',
      '“Really?”',
      'Yes!)',
    ]);
  });

  it('waits for whitespace after a closer that ends a delta', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('He said "go."')).to.deep.equal([]);
    expect(splitter.push(' Fine.')).to.deep.equal(['He said "go."']);
  });

  it('handles deltas split mid-word and mid-number', () => {
    expect(split('The ro', 'om is 4', '.', '2 me', 'tres wi', 'de. Th', 'e end', '.')).to.deep.equal([
      'The room is 4.2 metres wide.',
      'The end.',
    ]);
    expect(split('Ask D', 'r', '.', ' ', 'Lee', '. ', 'OK?')).to.deep.equal(['Ask Dr. Lee.', 'OK?']);
  });

  it('gives the same sentences whether fed whole or one character at a time', () => {
    const text =
      'Dr. Who said "hi." It is 3.5 m wide… No. 9 won. No. Really?! 東京は大きい。本当？ Yes... 1. Go. The end';
    const whole = split(text);
    expect(whole).to.deep.equal([
      'Dr. Who said "hi."',
      'It is 3.5 m wide…',
      'No. 9 won.',
      'No.',
      'Really?!',
      '東京は大きい。',
      '本当？',
      'Yes...',
      '1. Go.',
      'The end',
    ]);
    expect(splitByChar(text)).to.deep.equal(whole);
  });

  it('flushes the remainder once and then is empty', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('  No trailing punctuation ')).to.deep.equal([]);
    expect(splitter.flush()).to.equal('No trailing punctuation');
    expect(splitter.flush()).to.equal(null);
  });

  it('skips sentences with nothing to say', () => {
    expect(split('... ?! Hello.  ')).to.deep.equal(['Hello.']);
  });

  it('forgets everything on reset', () => {
    const splitter = new SentenceSplitter();
    splitter.push('Half a sent');
    splitter.reset();
    expect(splitter.push('New one. ')).to.deep.equal(['New one.']);
  });

  it('accepts a custom abbreviation list', () => {
    const splitter = new SentenceSplitter({ abbreviations: ['prof'] });
    expect(splitter.push('Prof. Xu spoke. Dr. Ng too. ')).to.deep.equal(['Prof. Xu spoke.', 'Dr.', 'Ng too.']);
  });
});
