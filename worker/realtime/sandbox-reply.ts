// The sandbox's assistant: rule-based turns over the keywords the local extractor found, so a fresh `npm start`
// holds a real (if modest) conversation: it says what it understood and asks for the most useful missing field.
import type { Keywords } from '../../widget/keywords/types.ts';

export const VOICE_NEEDS_KEY =
  "I can't hear voice in this demo: speech needs an OpenAI key on the server, and none is set. " +
  'Typing works, though: tell me your idea in the text box.';

const words = (id: string) => id.replace(/-/g, ' ');
const colour = (id: string) => (id === 'full-color' ? 'full colour' : id === 'black-and-grey' ? 'black and grey' : id);

function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const article = (phrase: string) => (/^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`);
const added = (now: readonly string[], before: readonly string[]) => now.filter((x) => !before.includes(x));

const plural = (noun: string) => (noun.endsWith('s') ? noun : `${noun}s`);

/** "a fine-line wolf with a moon": style ids read as adjectives. */
function motif(subjects: readonly string[], elements: readonly string[], styles: readonly string[]): string {
  const adjective = styles.length ? `${list(styles)} ` : '';
  const main = subjects.length === 1 ? article(`${adjective}${subjects[0]!}`) : `${adjective}${list(subjects)}`;
  return elements.length ? `${main} with ${list(elements.map(article))}` : main;
}

/** What is new in `now` compared with `before`, as short phrases: "a wolf with a moon", "on your forearm". */
function news(before: Keywords, now: Keywords): string[] {
  const parts: string[] = [];
  const subjects = added(now.subject, before.subject);
  const elements = added(now.elements, before.elements);
  const styles = added(now.style, before.style);
  if (subjects.length) parts.push(motif(subjects, elements, styles));
  else if (elements.length) parts.push(`with ${list(elements.map(article))}`);
  if (styles.length && !subjects.length) parts.push(`${list(styles)} style`);
  const colours = added(now.colors, before.colors);
  if (colours.length) parts.push(`in ${list(colours.map(colour))}`);
  if (now.size && now.size !== before.size) parts.push(`${words(now.size)} size`);
  if (now.placement && now.placement !== before.placement) parts.push(`on your ${words(now.placement)}`);
  if (now.lettering && now.lettering !== before.lettering) parts.push(`with the words "${now.lettering}"`);
  const excluded = added(now.exclude, before.exclude);
  if (excluded.length) parts.push(`no ${list(excluded.map((x) => plural(words(x))))}`);
  return parts;
}

const QUESTIONS: Array<[keyof Keywords, string]> = [
  ['subject', 'What would you like the design to show?'],
  ['placement', 'Where on your body would you like it?'],
  ['size', 'How big should it be: small, medium or large?'],
  ['style', 'Which style do you like: fine-line, traditional, japanese, blackwork or watercolor?'],
  ['colors', 'Black and grey, or in colour?'],
];

const missing = (k: Keywords, field: keyof Keywords) => {
  const value = k[field];
  return Array.isArray(value) ? value.length === 0 : value === null;
};

/** One line that sums the brief up: "wolf, moon, fine-line, forearm". */
export function summary(k: Keywords): string {
  return [...k.subject, ...k.elements, ...k.style, ...k.colors.map(colour), k.size, k.placement && words(k.placement)]
    .filter((x): x is string => Boolean(x))
    .join(', ');
}

export const isEmpty = (k: Keywords) =>
  QUESTIONS.every(([field]) => missing(k, field)) && !k.lettering && k.exclude.length === 0;

/** The assistant's answer to the visitor's latest message, given the brief before and after it. */
export function replyTo(before: Keywords, now: Keywords): string {
  const parts = news(before, now);
  const first = isEmpty(before);
  let ack = '';
  if (parts.length)
    ack = first && now.subject.length ? `Nice idea: ${parts.join(', ')}.` : `Got it: ${parts.join(', ')}.`;
  else if (!isEmpty(now)) ack = "I didn't catch anything new there.";
  const next = QUESTIONS.find(([field]) => missing(now, field));
  if (!next) {
    return `${ack} That makes a clear brief: ${summary(now)}. Anything to add, like lettering or a mood, or shall I draw some concepts?`.trim();
  }
  if (isEmpty(now)) return `Tell me about your idea. ${next[1]}`;
  return `${ack} ${next[1]}`.trim();
}

/** After the widget answered the keyword call: a short, natural follow-up. */
export function afterToolOutput(now: Keywords): string {
  return isEmpty(now)
    ? 'Whenever you are ready, tell me what you have in mind.'
    : `Saved to your brief: ${summary(now)}.`;
}

/** The reply offers to draw concepts: a plain "yes" to it means go. */
export const offersConcepts = (reply: string) => reply.endsWith('shall I draw some concepts?');

const GO =
  /\b(generate|draw (it|them|some|me|a few)|sketch (it|them|some)|show me (it|them|the (concepts?|designs?|sketch(es)?)|some (concepts?|designs?|ideas))|let'?s see (it|them|some)|go ahead|do it|make (it|them) (more |a bit |bit )?\w+|bolder|darker|lighter|smaller|bigger)\b/i;
const YES = /^\s*(yes|yeah|yep|sure|ok(ay)?|please( do)?|go( for it)?|sounds good|perfect)\b/i;

/** Whether the visitor asked for concepts (or a new version of them), given whether the assistant just offered. */
export function wantsConcepts(text: string, offered: boolean): boolean {
  return GO.test(text) || (offered && YES.test(text));
}

export function drawingReply(now: Keywords): string {
  return `On it: drawing concepts of ${summary(now)}. They will appear below in a moment.`;
}

/**
 * The visitor picked a concept: the widget's "Use this design" message ("I'd like to use concept 2: ...", see
 * widget/parts/concept-gallery/concept-caption.ts) or the same typed ("I'll take design 3", "go with concept #1").
 */
const CHOSEN = /\b(?:use|choose|pick|take|go with|want)\s+(?:the )?(?:concept|design|option) ?(?:#|no\.? ?)?(\d+)\b/i;

export function chosenConcept(text: string): number | null {
  const m = CHOSEN.exec(text);
  return m ? Number(m[1]) : null;
}

/** Confirms the choice in the brief's words; it offers changes rather than more concepts. */
export function choiceReply(n: number, k: Keywords): string {
  const what = k.subject.length || k.elements.length ? motif(k.subject, k.elements, k.style) : '';
  const colours = k.colors.length ? ` in ${list(k.colors.map(colour))}` : '';
  const design = what ? `: ${what}${colours}` : '';
  return `Concept ${n} it is${design}. Good choice! Would you like any changes to it, or is it just right as it is?`;
}
