// The keyword tools, loaded on first use (the first extract_keywords call or chip edit): their vocabulary is larger
// than the rest of the widget, and a visitor who never gets that far never downloads it.
export { addChip, editChip, withoutChip } from './edits.ts';
export { extractKeywords } from './extract.ts';
export { mergeKeywords } from './merge.ts';
export { normaliseKeywords, normaliseLabels } from './normalise.ts';
export { emptyKeywords } from './types.ts';
