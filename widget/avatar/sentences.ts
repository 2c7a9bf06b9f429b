/** Terminators that end a sentence only when whitespace (or the end of the response) follows. */
const LATIN_TERMINATORS = '.!?…';
/** CJK terminators end a sentence at once: CJK text puts no space after them. */
const CJK_TERMINATORS = '。！？';
/** Closing quotes and brackets that belong to the sentence they follow. */
const CLOSERS = `"'”’»)]}」』）】〉》〕〗`;
/**
 * Closers that can only close. After a CJK sentence was cut at the end of a delta, these may arrive at the start of
 * the next delta; they are dropped rather than opening the next sentence. Straight quotes and `»` are left out
 * because they also open quotations.
 */
const ORPHAN_CLOSERS = `”’)]}」』）】〉》〕〗${CJK_TERMINATORS}`;

/** Words (lower case, inner dots kept) after which a `.` does not end a sentence. */
export const DEFAULT_ABBREVIATIONS: readonly string[] = ['dr', 'mr', 'mrs', 'ms', 'st', 'e.g', 'i.e', 'etc', 'vs'];
/**
 * Abbreviations only when a number follows: "No. 5" is one sentence, but "No. I disagree." is two, and a voice
 * assistant says "No." far more often than it cites a number.
 */
export const DEFAULT_NUMBER_ABBREVIATIONS: readonly string[] = ['no'];

export interface SentenceSplitterOptions {
  abbreviations?: readonly string[];
  numberAbbreviations?: readonly string[];
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
/** A sentence with no letter, digit or symbol (only punctuation) is nothing an avatar can say. */
const isSpeakable = (text: string): boolean => /[\p{L}\p{N}\p{S}]/u.test(text);

/**
 * Cuts a stream of transcript deltas into sentences, so the avatar can start speaking the first sentence while the
 * model is still writing the rest. Decisions that depend on text not yet received (a `.` at the end of a delta may
 * be "3." of "3.5") wait for the next delta or for `flush()`.
 */
export class SentenceSplitter {
  private buffer = '';
  /** Where scanning resumes: everything before it is known not to end a sentence. */
  private cursor = 0;
  private dropOrphanClosers = false;
  private readonly abbreviations: ReadonlySet<string>;
  private readonly numberAbbreviations: ReadonlySet<string>;

  constructor(options: SentenceSplitterOptions = {}) {
    this.abbreviations = new Set(options.abbreviations ?? DEFAULT_ABBREVIATIONS);
    this.numberAbbreviations = new Set(options.numberAbbreviations ?? DEFAULT_NUMBER_ABBREVIATIONS);
  }

  /** Feeds one delta; returns the sentences it completed, trimmed, in order. */
  push(delta: string): string[] {
    this.buffer += this.dropOrphanClosers ? this.stripOrphanClosers(delta) : delta;
    return this.scan();
  }

  /** Ends the response: returns what is left as the last sentence, or null when nothing speakable is left. */
  flush(): string | null {
    const rest = this.buffer.trim();
    this.reset();
    return isSpeakable(rest) ? rest : null;
  }

  /** Forgets everything buffered (barge-in: the rest of this response will never be spoken). */
  reset(): void {
    this.buffer = '';
    this.cursor = 0;
    this.dropOrphanClosers = false;
  }

  private stripOrphanClosers(delta: string): string {
    let i = 0;
    while (i < delta.length && (isSpace(delta[i]) || ORPHAN_CLOSERS.includes(delta[i] ?? ''))) i++;
    // Stay on guard while the deltas hold nothing else, since the closer may come one delta later still.
    if (i < delta.length) this.dropOrphanClosers = false;
    return delta.slice(i);
  }

  private scan(): string[] {
    const sentences: string[] = [];
    let buf = this.buffer;
    let i = this.cursor;
    const cut = (end: number): void => {
      const sentence = buf.slice(0, end).trim();
      if (isSpeakable(sentence)) sentences.push(sentence);
      buf = buf.slice(end);
      i = 0;
    };

    while (i < buf.length) {
      const ch = buf[i] ?? '';
      if (CJK_TERMINATORS.includes(ch)) {
        let end = i + 1;
        while (end < buf.length && (CJK_TERMINATORS + CLOSERS).includes(buf[end] ?? '')) end++;
        // Latency wins over waiting for a closer that may never come; a late closer is dropped instead.
        if (end === buf.length) this.dropOrphanClosers = true;
        cut(end);
        continue;
      }
      if (!LATIN_TERMINATORS.includes(ch)) {
        i++;
        continue;
      }
      let runEnd = i;
      while (runEnd < buf.length && LATIN_TERMINATORS.includes(buf[runEnd] ?? '')) runEnd++;
      let end = runEnd;
      while (end < buf.length && CLOSERS.includes(buf[end] ?? '')) end++;
      if (end === buf.length) break; // the next delta decides: "3." + "5", "Wait.." + ".", "Hi!" + "!"
      if (!isSpace(buf[end])) {
        i = end; // "3.5", "v2.0", "e.g", "example.com", "Wait...what"
        continue;
      }
      if (runEnd - i === 1 && ch === '.') {
        const verdict = this.periodVerdict(buf, i, end);
        if (verdict === 'wait') break;
        if (verdict === 'continue') {
          i = end;
          continue;
        }
      }
      cut(end);
    }

    this.buffer = buf;
    this.cursor = i;
    return sentences;
  }

  /** Whether a lone `.` at `dot`, with whitespace at `after`, ends the sentence. */
  private periodVerdict(buf: string, dot: number, after: number): 'cut' | 'continue' | 'wait' {
    let start = dot;
    while (start > 0 && /[\p{L}.]/u.test(buf[start - 1] ?? '')) start--;
    const word = buf.slice(start, dot).toLowerCase();
    if (this.abbreviations.has(word)) return 'continue';
    if (this.numberAbbreviations.has(word)) {
      let next = after;
      while (isSpace(buf[next])) next++;
      if (next === buf.length) return 'wait';
      return isDigit(buf[next]) ? 'continue' : 'cut';
    }
    // "1. Open the box." is a list item, not a sentence "1." followed by another.
    if (/^\d+$/u.test(buf.slice(0, dot).trim())) return 'continue';
    return 'cut';
  }
}
