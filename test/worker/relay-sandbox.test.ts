import { describe, expect, it } from 'vitest';
import type { Env } from '../../worker/env.ts';
import { briefItem } from '../../widget/keywords/brief.ts';
import { chosenMessage } from '../../widget/parts/concept-gallery/concept-caption.ts';
import { chosenConcept } from '../../worker/realtime/sandbox-reply.ts';
import { createTenant } from './helpers.ts';
import { newTicket, openRelay, type RelayClient, type ServerEvent } from './relay-client.ts';

// No OpenAI key: the relay talks to the built-in responder, as on a fresh `npm start`.
const SANDBOX: Partial<Env> = { OPENAI_API_KEY: '' };

const say = (client: RelayClient, text: string) => {
  client.send({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
  client.send({ type: 'response.create' });
};

/** The events of the response that ends with the next response.done after `from`. */
async function turn(client: RelayClient, from: number) {
  const done = await client.until(
    () => client.events.slice(from).find((e) => e.type === 'response.done'),
    'response.done',
  );
  const events = client.events.slice(from, client.events.indexOf(done) + 1);
  const of = (type: string) => events.filter((e) => e.type === type);
  const text = of('response.output_text.delta')
    .map((e) => e.delta)
    .join('');
  const call = of('response.function_call_arguments.done')[0];
  return {
    events,
    of,
    text,
    call,
    done: done as ServerEvent & { response: { status: string; usage: Record<string, unknown>; output: unknown[] } },
  };
}

describe('sandbox responder (no OpenAI key)', () => {
  it('says it runs in sandbox mode when the ticket is issued', async () => {
    const t = await createTenant();
    const ticket = await newTicket(t.publishableKey, 'text', SANDBOX);
    expect(ticket.sandbox).toBe(true);
  });

  it('holds a text conversation: streamed replies that ask for what is missing, and the extract_keywords call', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    await client.event('session.updated');
    expect(client.events.slice(0, 2).map((e) => e.type)).toEqual(['session.created', 'session.updated']);
    const updated = client.events[1] as ServerEvent & {
      session: { output_modalities: string[]; tools: Array<{ name: string }> };
    };
    expect(updated.session.output_modalities).toEqual(['text']);
    expect(updated.session.tools.map((x) => x.name)).toEqual(['extract_keywords', 'generate_concepts']);

    let from = client.events.length;
    say(client, "I'd like a fine-line wolf howling at the moon");
    const first = await turn(client, from);
    expect(first.of('conversation.item.added')[0]).toMatchObject({ item: { type: 'message', role: 'user' } });
    expect(first.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'response.created',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.done',
        'response.function_call_arguments.delta',
        'response.output_item.done',
      ]),
    );
    expect(first.of('response.output_text.delta').length).toBeGreaterThan(3); // streamed, not one blob
    expect(first.text).toBe(first.of('response.output_text.done')[0]!.text);
    expect(first.text).toMatch(/wolf/);
    expect(first.text).toMatch(/^Nice idea: a fine-line wolf with a moon\./);
    expect(first.text).toMatch(/Where on your body/); // placement is the most useful missing field
    expect(first.call).toMatchObject({ name: 'extract_keywords', call_id: expect.stringMatching(/^call_/) });
    const keywords = JSON.parse(first.call!.arguments as string);
    expect(keywords).toMatchObject({ subject: ['wolf'], elements: ['moon'], style: ['fine-line'], placement: null });
    expect(first.done.response.status).toBe('completed');
    expect(first.done.response.usage).toMatchObject({
      total_tokens: expect.any(Number),
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
    });
    expect(first.done.response.output).toHaveLength(2);

    // The widget answers the call; the responder goes on without calling again.
    from = client.events.length;
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: first.call!.call_id, output: '{"ok":true}' },
    });
    client.send({ type: 'response.create' });
    const after = await turn(client, from);
    expect(after.text).toMatch(/^Saved to your brief: wolf, moon, fine-line\./);
    expect(after.call).toBeUndefined();

    from = client.events.length;
    say(client, 'on my forearm please');
    const second = await turn(client, from);
    expect(second.text).toMatch(/Got it: on your forearm\. How big/);
    expect(JSON.parse(second.call!.arguments as string)).toMatchObject({ subject: ['wolf'], placement: 'forearm' });
    client.close();
  });

  it('refuses a second response.create while one is streaming, as OpenAI does', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    say(client, 'a rose');
    client.send({ type: 'response.create', event_id: 'again' });
    await client.event('response.done');
    expect(client.events.find((e) => e.type === 'error')).toMatchObject({
      error: { code: 'conversation_already_has_active_response', event_id: 'again' },
    });
    client.close();
  });

  it('answers push-to-talk audio with a transcript saying voice needs a key, and refuses a too-short commit', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'websocket', SANDBOX);
    client.send({ type: 'input_audio_buffer.clear' });
    client.send({ type: 'input_audio_buffer.append', audio: btoa('\0'.repeat(960)) }); // 20 ms
    client.send({ type: 'input_audio_buffer.commit', event_id: 'short' });
    const error = await client.event('error');
    expect(error).toMatchObject({
      error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', event_id: 'short' },
    });

    client.send({ type: 'input_audio_buffer.append', audio: btoa('\0'.repeat(24_000)) }); // 500 ms
    client.send({ type: 'input_audio_buffer.commit' });
    client.send({ type: 'response.create' });
    const from = client.events.length;
    const done = await client.event('response.done', from);
    expect(client.events.some((e) => e.type === 'input_audio_buffer.committed')).toBe(true);
    const transcript = client.events.find((e) => e.type === 'response.output_audio_transcript.done') as ServerEvent & {
      transcript: string;
    };
    expect(transcript.transcript).toMatch(/OpenAI key/);
    expect(transcript.transcript).toMatch(/Typing works/);
    const deltas = client.events
      .filter((e) => e.type === 'response.output_audio_transcript.delta')
      .map((e) => e.delta)
      .join('');
    expect(deltas).toBe(transcript.transcript);
    expect(client.events.some((e) => e.type === 'response.function_call_arguments.done')).toBe(false);
    expect((done as ServerEvent & { response: { status: string } }).response.status).toBe('completed');
    client.close();
  });

  it("keeps OpenAI's rules where it speaks the protocol: items, retrieve, truncate, tool outputs, late transcripts", async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'websocket', SANDBOX);
    await client.event('session.updated');
    client.send({
      type: 'conversation.item.create',
      item: { id: 'item_mine', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a koi' }] },
    });
    client.send({ type: 'conversation.item.retrieve', event_id: 'g1', item_id: 'item_mine' });
    client.send({ type: 'conversation.item.retrieve', event_id: 'g2', item_id: 'item_nope' });
    client.send({
      type: 'conversation.item.create',
      event_id: 'f1',
      item: { type: 'function_call_output', call_id: 'call_nope', output: '{}' },
    });
    client.send({
      type: 'conversation.item.create',
      event_id: 'p1',
      previous_item_id: 'item_nope',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] },
    });
    client.send({
      type: 'conversation.item.truncate',
      event_id: 't1',
      item_id: 'item_mine',
      content_index: 0,
      audio_end_ms: 800,
    });
    await client.until(() => client.events.filter((e) => e.type === 'error').length === 4, 'four refusals');
    expect((await client.event('conversation.item.retrieved')).item).toMatchObject({ id: 'item_mine' });
    const errors = client.events
      .filter((e) => e.type === 'error')
      .map((e) => e.error as { code: string; event_id: string; param: string });
    expect(errors.map((e) => [e.event_id, e.code])).toEqual([
      ['g2', 'item_not_found'],
      ['f1', 'invalid_value'],
      ['p1', 'item_not_found'],
      ['t1', 'invalid_value'],
    ]);
    // A spoken turn's (failed) transcription arrives after the reply started, as OpenAI's asynchronous transcription
    // does.
    const from = client.events.length;
    client.send({ type: 'input_audio_buffer.append', audio: btoa('\0'.repeat(9600)) });
    client.send({ type: 'input_audio_buffer.commit' });
    client.send({ type: 'response.create' });
    await turn(client, from);
    const types = client.events.slice(from).map((e) => e.type);
    expect(types.indexOf('response.created')).toBeLessThan(
      types.indexOf('conversation.item.input_audio_transcription.failed'),
    );
    client.close();
  });

  it('lets response.cancel stop a reply', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    say(client, 'a large japanese koi on my back in full colour');
    await client.event('response.output_text.delta');
    client.send({ type: 'response.cancel' });
    const done = (await client.event('response.done')) as ServerEvent & { response: { status: string } };
    expect(done.response.status).toBe('cancelled');
    client.close();
  });
});

describe('sandbox responder: concepts on request', () => {
  const calls = (t: Awaited<ReturnType<typeof turn>>) =>
    t.of('response.function_call_arguments.done').map((e) => e.name);

  it('offers concepts once the brief is clear, and a plain "yes" then asks the widget to draw them', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    let from = client.events.length;
    say(client, 'a small black and grey fine-line wolf on my forearm');
    const brief = await turn(client, from);
    expect(brief.text).toMatch(/shall I draw some concepts\?$/);
    expect(calls(brief)).toEqual(['extract_keywords']);
    from = client.events.length;
    say(client, 'yes please');
    const go = await turn(client, from);
    expect(go.text).toMatch(/drawing concepts of wolf/);
    expect(calls(go)).toEqual(['generate_concepts']);
    client.close();
  });

  it('"make it bolder" updates the keywords and asks for a new version; "yes" without an offer does not', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    let from = client.events.length;
    say(client, 'a rose');
    const first = await turn(client, from);
    expect(first.text).not.toMatch(/draw some concepts/);
    from = client.events.length;
    say(client, 'yes');
    expect(calls(await turn(client, from))).not.toContain('generate_concepts');
    from = client.events.length;
    say(client, 'make it bolder');
    const refine = await turn(client, from);
    expect(calls(refine)).toEqual(['extract_keywords', 'generate_concepts']);
    const keywords = JSON.parse(refine.of('response.function_call_arguments.done')[0]!.arguments as string) as {
      mood: string[];
    };
    expect(keywords.mood).toContain('bold');
    client.close();
  });

  it("takes the visitor's brief as the truth: what they removed stays out and their exclusions stay excluded", async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    let from = client.events.length;
    say(client, 'a fine-line wolf howling at the moon on my forearm, black and grey');
    const first = await turn(client, from);
    const seen = JSON.parse(first.call!.arguments as string) as { elements: string[] };
    expect(seen.elements).toContain('moon');
    // The widget answered the call; then the visitor removed the moon and excluded red, as chip edits.
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: first.call!.call_id, output: '{}' },
    });
    const edited = { ...seen, elements: [], exclude: ['red'] };
    client.send({ type: 'conversation.item.create', item: briefItem(edited as never) });
    from = client.events.length;
    say(client, 'make it bolder');
    const refine = await turn(client, from);
    expect(calls(refine)).toEqual(['extract_keywords', 'generate_concepts']);
    const now = JSON.parse(refine.of('response.function_call_arguments.done')[0]!.arguments as string) as {
      elements: string[];
      colors: string[];
      exclude: string[];
      mood: string[];
    };
    expect(now.elements).not.toContain('moon');
    expect(now.exclude).toContain('red');
    expect(now.colors).not.toContain('red');
    expect(now.mood).toContain('bold');
    // The brief itself asks for no reply: nothing was said about the chip edits.
    expect(refine.text).not.toMatch(/red/);
    client.close();
  });

  it('"Use this design": the choice confirmed in the brief\'s words, no new keywords, no redraw', async () => {
    const t = await createTenant();
    const { client } = await openRelay(t.publishableKey, 'text', SANDBOX);
    let from = client.events.length;
    say(client, 'a small black and grey fine-line wolf with a moon on my forearm');
    const brief = await turn(client, from);
    expect(brief.text).toMatch(/shall I draw some concepts\?$/);
    const keywords = JSON.parse(brief.call!.arguments as string);
    const output = { type: 'function_call_output', call_id: brief.call!.call_id, output: '{}' } as const;
    client.send({ type: 'conversation.item.create', item: output });
    // The widget's own message, as its viewer sends it (widget/parts/concept-gallery/concept-caption.ts).
    from = client.events.length;
    say(client, chosenMessage(2, keywords));
    const chose = await turn(client, from);
    expect(chose.text).toBe(
      'Concept 2 it is: a fine-line wolf with a moon in black and grey. Good choice! ' +
        'Would you like any changes to it, or is it just right as it is?',
    );
    expect(calls(chose)).toEqual([]);
    // A "yes" after it is not a request to draw again: the confirmation offered no concepts.
    from = client.events.length;
    say(client, 'yes');
    expect(calls(await turn(client, from))).not.toContain('generate_concepts');
    client.close();
  });

  it('recognises a choice typed by the visitor, and nothing else as one', () => {
    expect(chosenConcept("I'll take design 3")).toBe(3);
    expect(chosenConcept('go with concept #1 please')).toBe(1);
    expect(chosenConcept('I want the concept 2 one')).toBe(2);
    expect(chosenConcept('draw me 3 concepts')).toBeNull();
    expect(chosenConcept('a wolf with 2 moons')).toBeNull();
  });
});
