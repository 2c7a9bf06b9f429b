// Build-time only (vite.config.ts): never imported by the widget's bundles.
/**
 * Lit's css`` keeps its text as written (comments, indentation), and a minifier never looks inside a template: the
 * widget's stylesheets are squeezed here instead, where it is safe. Comments go, runs of whitespace become one space,
 * and the spaces next to { } ; , > and after a colon go (none of those is a descendant combinator; + and - stay,
 * calc() needs their spaces). Templates with ${} are left as they are.
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}
