/** The cost, in bytes, of one code point (a lone surrogate counts as one code point, as `for...of` yields it). */
export type CodePointCost = (codePoint: string) => number;

/** UTF-8 length of a code point; a lone surrogate costs 3 because TextEncoder replaces it with U+FFFD. */
export const utf8Cost: CodePointCost = (ch) => {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
};

const SHORT_ESCAPES = new Set(['"', '\\', '\b', '\f', '\n', '\r', '\t']);

/**
 * UTF-8 length of a code point once JSON.stringify has escaped it inside a string. Chunks travel inside a JSON
 * envelope, so a text of quotes or newlines grows on the wire: budgeting raw UTF-8 would overflow the 1 KB limit.
 */
export const jsonStringCost: CodePointCost = (ch) => {
  if (SHORT_ESCAPES.has(ch)) return 2;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20) return 6; // \u00XX
  if (cp >= 0xd800 && cp <= 0xdfff) return 6; // well-formed JSON.stringify escapes lone surrogates
  return utf8Cost(ch);
};

function costOf(text: string, cost: CodePointCost): number {
  let total = 0;
  for (const ch of text) total += cost(ch);
  return total;
}

/**
 * Splits `text` into chunks whose cost is at most `maxBytes`, preferring word boundaries. Whitespace stays at the
 * end of the chunk before it, so `chunks.join('') === text`: the avatar concatenates chunks of one message id and
 * must get the sentence back exactly, spaces included.
 */
export function chunkByCost(text: string, maxBytes: number, cost: CodePointCost): string[] {
  if (!Number.isFinite(maxBytes) || maxBytes < 1) throw new RangeError(`invalid chunk budget: ${maxBytes}`);
  const chunks: string[] = [];
  let current = '';
  let currentCost = 0;
  // A leading run of whitespace is its own token; every later token is one word and the whitespace after it.
  for (const token of text.match(/\s+|\S+\s*/gu) ?? []) {
    const tokenCost = costOf(token, cost);
    if (currentCost + tokenCost <= maxBytes) {
      current += token;
      currentCost += tokenCost;
      continue;
    }
    if (current) chunks.push(current);
    current = '';
    currentCost = 0;
    if (tokenCost <= maxBytes) {
      current = token;
      currentCost = tokenCost;
      continue;
    }
    // A word longer than the budget (or CJK with no spaces): cut between code points, never inside one.
    for (const ch of token) {
      const c = cost(ch);
      if (c > maxBytes) throw new RangeError(`a ${c}-byte character cannot fit a ${maxBytes}-byte chunk`);
      if (currentCost + c > maxBytes) {
        chunks.push(current);
        current = '';
        currentCost = 0;
      }
      current += ch;
      currentCost += c;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/**
 * Splits `text` at word boundaries into chunks of at most `maxBytes` UTF-8 bytes each; a word longer than that is
 * cut at code-point boundaries. Joining the chunks gives `text` back.
 */
export function chunkUtf8(text: string, maxBytes = 960): string[] {
  return chunkByCost(text, maxBytes, utf8Cost);
}
