import { expect } from '@open-wc/testing';
import { chunkByCost, chunkUtf8, jsonStringCost, utf8Cost } from './chunker.ts';

const encoder = new TextEncoder();
const bytes = (s: string): number => encoder.encode(s).byteLength;

/** Every chunk fits, nothing is lost or reordered, and no chunk starts or ends inside a surrogate pair. */
function expectValidChunks(text: string, chunks: string[], maxBytes: number): void {
  expect(chunks.join('')).to.equal(text);
  for (const chunk of chunks) {
    expect(chunk).not.to.equal('');
    expect(bytes(chunk), JSON.stringify(chunk)).to.be.at.most(maxBytes);
    expect(/^[\uDC00-\uDFFF]/.test(chunk), 'starts with a low surrogate').to.equal(false);
    expect(/[\uD800-\uDBFF]$/.test(chunk), 'ends with a high surrogate').to.equal(false);
  }
}

describe('chunkUtf8', () => {
  it('returns one chunk when the text fits, and none for an empty text', () => {
    expect(chunkUtf8('Hello world.')).to.deep.equal(['Hello world.']);
    expect(chunkUtf8('')).to.deep.equal([]);
  });

  it('splits at word boundaries and keeps the spaces', () => {
    const chunks = chunkUtf8('aaaa bbbb cccc dddd', 10);
    expect(chunks).to.deep.equal(['aaaa bbbb ', 'cccc dddd']);
  });

  it('never cuts a word that fits in a chunk of its own', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const chunks = chunkUtf8(text, 50);
    expectValidChunks(text, chunks, 50);
    for (const chunk of chunks)
      expect(
        chunk
          .trim()
          .split(' ')
          .every((w) => words.includes(w)),
      ).to.equal(true);
  });

  it('defaults to 960 bytes (Akool’s demo)', () => {
    const text = 'lorem ipsum '.repeat(500);
    const chunks = chunkUtf8(text);
    expectValidChunks(text, chunks, 960);
    expect(chunks.length).to.equal(Math.ceil(bytes(text) / 948)); // 158 six-byte words fill 948 bytes
  });

  it('counts bytes, not characters, for accented text', () => {
    const text = 'café crème brûlée déjà vu '.repeat(50); // 2-byte é, è, û, à
    const chunks = chunkUtf8(text, 100);
    expectValidChunks(text, chunks, 100);
    // Counting UTF-16 units would put more than 100 bytes in some chunk.
    expect(chunks.length).to.be.greaterThan(Math.ceil(text.length / 100));
  });

  it('splits CJK text with no spaces between code points', () => {
    const text = '東京は日本の首都です。'.repeat(40); // 3 bytes each
    const chunks = chunkUtf8(text, 100);
    expectValidChunks(text, chunks, 100);
    expect(chunks.slice(0, -1).every((c) => bytes(c) === 99)).to.equal(true); // 33 characters, the most that fit
  });

  it('never splits an emoji surrogate pair', () => {
    const text = '😀'.repeat(100); // 4 bytes and two UTF-16 units each
    for (const max of [4, 5, 6, 7, 10, 101]) expectValidChunks(text, chunkUtf8(text, max), max);
    expect(chunkUtf8(text, 7)[0]).to.equal('😀');
  });

  it('cuts a word longer than the budget and packs the words after it as usual', () => {
    const long = 'x'.repeat(25);
    const chunks = chunkUtf8(`hi ${long} end`, 10);
    expect(chunks).to.deep.equal(['hi ', 'xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx end']);
  });

  it('handles mixed scripts at many budgets', () => {
    const text = 'Grüße 👋🏽 from 北京! Ça va? Привет мир. नमस्ते 🇯🇵 done '.repeat(20);
    for (const max of [4, 9, 16, 33, 100, 950]) expectValidChunks(text, chunkUtf8(text, max), max);
  });

  it('refuses a budget a character cannot fit', () => {
    expect(() => chunkUtf8('😀', 3)).to.throw(RangeError);
    expect(() => chunkUtf8('abc', 0)).to.throw(RangeError);
    expect(chunkUtf8('abc', 1)).to.deep.equal(['a', 'b', 'c']);
  });
});

describe('chunk costs', () => {
  it('utf8Cost matches TextEncoder, lone surrogates included', () => {
    for (const ch of ['a', 'é', '€', '東', '😀', '\uD800', '\uDFFF', '\u0000', '\u2028']) {
      expect(utf8Cost(ch), JSON.stringify(ch)).to.equal(bytes(ch));
    }
  });

  it('jsonStringCost matches the encoded JSON string body', () => {
    const samples = [
      'a',
      '"',
      '\\',
      '\n',
      '\t',
      '\u0001',
      '\u001f',
      '\u007f',
      'é',
      '東',
      '😀',
      '\uD83D',
      '\u2028',
      '/',
    ];
    for (const ch of samples) {
      expect(jsonStringCost(ch), JSON.stringify(ch)).to.equal(bytes(JSON.stringify(ch)) - 2);
    }
  });

  it('chunkByCost keeps each JSON-escaped chunk within budget', () => {
    const text = 'He said "stop"\n\tand "go" \\ ok\u0001 😀 '.repeat(30);
    const chunks = chunkByCost(text, 40, jsonStringCost);
    expect(chunks.join('')).to.equal(text);
    for (const chunk of chunks) expect(bytes(JSON.stringify(chunk)) - 2).to.be.at.most(40);
    // Raw UTF-8 budgeting would have overflowed: escapes make the text bigger on the wire.
    expect(chunkUtf8(text, 40).some((c) => bytes(JSON.stringify(c)) - 2 > 40)).to.equal(true);
  });
});
