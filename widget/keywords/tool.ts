// Provisional: replaced by the keywords module's own tool definition.
const list = { type: 'array', items: { type: 'string' } };
export const EXTRACT_KEYWORDS_TOOL = {
  type: 'function' as const,
  name: 'extract_keywords',
  description: 'Record the design keywords of the current idea.',
  parameters: {
    type: 'object',
    properties: { subject: list, elements: list, style: list, colors: list, placement: { type: ['string', 'null'] }, size: { type: ['string', 'null'] }, mood: list, lettering: { type: ['string', 'null'] }, exclude: list },
    required: ['subject', 'elements', 'style', 'colors', 'placement', 'size', 'mood', 'lettering', 'exclude'],
  },
};
export const KEYWORD_INSTRUCTIONS = 'Call extract_keywords whenever the idea changes, with the whole current idea.';
