export type { Keywords } from './types.ts';
export { emptyKeywords } from './types.ts';
export { COLORS, PLACEMENTS, SIZES, STYLES, type Color, type Placement, type Size, type Style } from './vocab.ts';
export {
  normaliseColor,
  normaliseKeywords,
  normaliseLabels,
  normaliseLettering,
  normaliseMotif,
  normalisePlacement,
  normaliseSize,
  normaliseStyle,
} from './normalise.ts';
export { mergeKeywords } from './merge.ts';
export { extractKeywords } from './extract.ts';
export { EXTRACT_KEYWORDS_TOOL, KEYWORD_INSTRUCTIONS } from './tool.ts';
