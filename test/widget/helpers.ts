import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/voice-buddy.ts';
import type { Keywords } from '../../widget/keywords/types.ts';
import { WOLF_DESIGN } from '../fixtures/designs.mjs';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API } from './fakes/backend.ts';
import type { FakeOpenAIPeer } from './fakes/openai-peer.ts';

export async function mount(
  template = html`<voice-buddy key="pk_test" api-base=${API}></voice-buddy>`,
): Promise<VoiceBuddy> {
  const el = await fixture<VoiceBuddy>(template);
  await waitUntil(() => el.store.$config.get() || el.store.$error.get(), 'bootstrap did not finish', { timeout: 5000 });
  return el;
}

export const shadow = (el: Element) => el.shadowRoot!;
export const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null =>
  shadow(el).querySelector<T>(`[part~="${name}"]`);

export function transcriptTexts(el: VoiceBuddy, kind?: string): string[] {
  return el.transcript.filter((e) => !kind || e.kind === kind).map((e) => e.text);
}

/** Records every status the element reports. */
export function recordStatuses(el: VoiceBuddy): string[] {
  const seen: string[] = [el.status];
  el.addEventListener('voice-buddy-status-change', (e) => seen.push(e.detail.status));
  return seen;
}

export function recordErrors(el: EventTarget): Array<{ code: string; message: string }> {
  const errors: Array<{ code: string; message: string }> = [];
  el.addEventListener('voice-buddy-error', (e) =>
    errors.push((e as CustomEvent<{ code: string; message: string }>).detail),
  );
  return errors;
}

export async function connected(el: VoiceBuddy): Promise<void> {
  await el.connect();
  await waitUntil(() => el.status === 'listening', `expected listening, got ${el.status}`, { timeout: 8000 });
}

/** A design with every kind of keyword but lettering: the concept viewer's tests caption it. */
export const WOLF_KEYWORDS: Keywords = { ...WOLF_DESIGN, mood: ['dark'], exclude: ['red'] };

/** A finished generation of `keywords` with one concept per image, shown by the widget's gallery. */
export function withConcepts(el: VoiceBuddy, keywords: Keywords, urls: readonly string[], alt: (n: number) => string) {
  el.store.$keywords.set(keywords);
  el.store.$generations.set([
    {
      id: 'gen_1',
      keywords,
      status: 'done',
      percent: 100,
      stage: 'done',
      concepts: urls.map((imageUrl, index) => ({ index, imageUrl, alt: alt(index + 1) })),
    },
  ]);
}

/** The model calls a function: its arguments' delta and done, as OpenAI sends them. Returns the call id. */
export function callTool(
  peer: FakeOpenAIPeer,
  name: string,
  args: unknown,
  callId = `call_${Math.random().toString(36).slice(2, 8)}`,
) {
  const argsText = typeof args === 'string' ? args : JSON.stringify(args);
  peer.send({
    type: 'response.function_call_arguments.delta',
    response_id: 'resp_t',
    item_id: 'item_fc',
    output_index: 0,
    call_id: callId,
    delta: argsText,
  });
  peer.send({
    type: 'response.function_call_arguments.done',
    response_id: 'resp_t',
    item_id: 'item_fc',
    output_index: 0,
    call_id: callId,
    name,
    arguments: argsText,
  });
  return callId;
}

/** The widget's function_call_output for a call. */
export async function outputFor(peer: FakeOpenAIPeer, callId: string) {
  await waitUntil(
    () =>
      peer.received.some(
        (e) => e.type === 'conversation.item.create' && (e as { item: { call_id?: string } }).item.call_id === callId,
      ),
    `no function_call_output for ${callId}`,
  );
  const event = peer.received.find(
    (e) => e.type === 'conversation.item.create' && (e as { item: { call_id?: string } }).item.call_id === callId,
  ) as { item: { type: string; output: string } };
  if (event.item.type !== 'function_call_output') throw new Error(`${callId} was answered with ${event.item.type}`);
  return JSON.parse(event.item.output) as { keywords?: Record<string, unknown>; error?: string; started?: boolean };
}
