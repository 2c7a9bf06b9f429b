// One response at a time: the model's tool calls arrive inside a response, before its response.done, as the API
// sends them, and the fakes refuse a second active response as the API does. Nothing of that reaches the visitor.
import { expect, html, waitUntil } from '@open-wc/testing';
import { API, FakeBackend } from './fakes/backend.ts';
import { toolCallResponse, type FakeOpenAIPeer } from './fakes/openai-peer.ts';
import { connected, mount, recordErrors, transcriptTexts } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Sent = { type: string; event_id?: string; item?: { type: string; call_id?: string } };
const sent = (peer: FakeOpenAIPeer) => peer.received as unknown as Sent[];
const outputs = (peer: FakeOpenAIPeer) =>
  sent(peer).filter((e) => e.type === 'conversation.item.create' && e.item?.type === 'function_call_output');
const creates = (peer: FakeOpenAIPeer) => sent(peer).filter((e) => e.type === 'response.create');

describe('one response at a time', () => {
  let backend: FakeBackend;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    await FakeBackend.relay('reset');
  });
  afterEach(() => backend.uninstall());

  it('answers a tool call inside a response at once and asks for the follow-up only after response.done', async () => {
    const el = await mount();
    const errors = recordErrors(el);
    await connected(el);
    const peer = backend.latestPeer;
    peer.reply = (id) => [
      {
        type: 'response.output_audio_transcript.delta',
        response_id: id,
        item_id: 'item_follow',
        output_index: 0,
        content_index: 0,
        delta: 'Saved: a wolf.',
      },
      {
        type: 'response.output_audio_transcript.done',
        response_id: id,
        item_id: 'item_follow',
        output_index: 0,
        content_index: 0,
        transcript: 'Saved: a wolf.',
      },
    ];
    const turn = toolCallResponse(
      [{ name: 'extract_keywords', args: { subject: ['wolf'], placement: 'forearm' }, callId: 'call_in' }],
      { done: false },
    );
    await peer.play(turn.events, 2);
    await waitUntil(
      () => outputs(peer).length === 1,
      'the tool output was not sent while the response was still running',
    );
    await sleep(150); // the response is still in progress: nothing may ask for another one yet
    expect(creates(peer), 'no response.create before response.done').to.have.length(0);
    expect(el.store.$keywords.get()?.subject).to.deep.equal(['wolf']);

    peer.send(turn.done);
    await waitUntil(() => creates(peer).length === 1, 'no follow-up response after response.done');
    await waitUntil(
      () => transcriptTexts(el, 'assistant').includes('Saved: a wolf.'),
      'the follow-up reply did not arrive',
    );
    await sleep(100);
    expect(creates(peer), 'sent once').to.have.length(1);
    const types = sent(peer).map((e) => e.type);
    expect(types.indexOf('conversation.item.create')).to.be.lessThan(types.indexOf('response.create'));
    expect(peer.refused, 'nothing the API would refuse').to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(transcriptTexts(el, 'notice')).to.deep.equal([]);
    el.disconnect();
  });

  it('two calls in one response: both outputs at once, one response.create', async () => {
    const el = await mount();
    const errors = recordErrors(el);
    await connected(el);
    const peer = backend.latestPeer;
    const turn = toolCallResponse(
      [
        { name: 'extract_keywords', args: { subject: ['rose'] } },
        { name: 'generate_concepts', args: { reason: 'the visitor said yes' } },
      ],
      { done: false },
    );
    await peer.play(turn.events, 2);
    await waitUntil(() => outputs(peer).length === 2, 'both outputs are sent before the response ends');
    expect(creates(peer)).to.have.length(0);
    peer.send(turn.done);
    await waitUntil(() => creates(peer).length === 1);
    await sleep(200);
    expect(creates(peer)).to.have.length(1);
    expect(peer.refused).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    el.disconnect();
  });

  it('a message typed during a reply cancels it and asks again only once it is done', async () => {
    const el = await mount();
    const errors = recordErrors(el);
    await connected(el);
    const peer = backend.latestPeer;
    await peer.play([
      {
        type: 'response.created',
        response: { id: 'resp_long', object: 'realtime.response', status: 'in_progress', output: [] },
      },
      {
        type: 'response.output_audio_transcript.delta',
        response_id: 'resp_long',
        item_id: 'item_long',
        output_index: 0,
        content_index: 0,
        delta: 'Let me tell you',
      },
    ]);
    await el.sendText('smaller, please');
    await waitUntil(() => creates(peer).length === 1, 'no response for the typed message');
    const types = sent(peer).map((e) => e.type);
    expect(types).to.deep.equal([
      'response.cancel',
      'output_audio_buffer.clear',
      'conversation.item.create',
      'response.create',
    ]);
    expect(peer.refused).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    el.disconnect();
  });

  it('a response the server started first (turn detection) delays ours without a word to the visitor', async () => {
    const el = await mount();
    const errors = recordErrors(el);
    await connected(el);
    const peer = backend.latestPeer;
    const turn = toolCallResponse([{ name: 'extract_keywords', args: { subject: ['moth'] } }], { done: false });
    await peer.play(turn.events, 2);
    await waitUntil(() => outputs(peer).length === 1);
    // The visitor speaks again right as the response ends: the server starts its own before ours arrives.
    peer.send(turn.done);
    peer.send({
      type: 'response.created',
      response: { id: 'resp_vad', object: 'realtime.response', status: 'in_progress', output: [] },
    });
    await waitUntil(() => peer.refused.length === 1, 'the race did not happen');
    expect(peer.refused[0]!.code).to.equal('conversation_already_has_active_response');
    peer.send({
      type: 'response.done',
      response: { id: 'resp_vad', object: 'realtime.response', status: 'completed', output: [] },
    });
    await waitUntil(
      () => creates(peer).length === 2,
      'the refused response.create was not sent again after the other response',
    );
    await sleep(150);
    expect(peer.refused, 'the second one was accepted').to.have.length(1);
    expect(errors).to.deep.equal([]);
    expect(transcriptTexts(el, 'notice')).to.deep.equal([]);
    el.disconnect();
  });

  it('any other OpenAI error is a sentence for people; the raw code stays in the event detail', async () => {
    const el = await mount();
    const errors = recordErrors(el);
    await connected(el);
    const peer = backend.latestPeer;
    peer.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'response_cancel_not_active',
        message: 'Cancellation failed: no active response found.',
        param: null,
        event_id: null,
      },
    });
    peer.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message: 'Conversation already has an active response in progress: resp_x.',
        param: null,
        event_id: 'evt_1',
      },
    });
    peer.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'unknown_parameter',
        message: "Unknown parameter: 'session.foo'.",
        param: 'session.foo',
        event_id: null,
      },
    });
    await waitUntil(() => errors.length === 1);
    await sleep(100);
    expect(errors.map((e) => e.code)).to.deep.equal(['unknown_parameter']);
    expect(errors[0]!.message).not.to.match(/session\.foo|Unknown parameter/);
    const notices = transcriptTexts(el, 'notice');
    expect(notices).to.deep.equal([errors[0]!.message]);
    expect(notices.join(' ')).not.to.match(/resp_|Cancellation|Conversation already/);
    el.disconnect();
  });

  it('text through the relay: the keyword call inside the reply gets its follow-up without a refusal', async () => {
    await FakeBackend.relay('behaviour', {
      functionCall: { subject: ['wolf'], placement: 'forearm' },
      reply: 'A wolf on your forearm.',
    });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    const errors = recordErrors(el);
    await el.sendText('a wolf on my forearm');
    await waitUntil(() => el.store.$keywords.get()?.subject.includes('wolf'), 'no keyword call');
    await waitUntil(
      async () =>
        ((await FakeBackend.relayLog()).at(-1)?.received ?? []).filter((e) => e.type === 'response.create').length ===
        2,
      'no follow-up response',
    );
    await waitUntil(() => transcriptTexts(el, 'assistant').length >= 2, 'the follow-up reply did not arrive');
    await sleep(100);
    const received = (await FakeBackend.relayLog())
      .at(-1)!
      .received.map((e) =>
        e.type === 'conversation.item.create' ? `item:${(e.item as { type: string }).type}` : e.type,
      );
    expect(received).to.deep.equal(['item:message', 'response.create', 'item:function_call_output', 'response.create']);
    expect((await FakeBackend.relayLog()).at(-1)!.refusals, 'nothing OpenAI would refuse').to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(transcriptTexts(el, 'notice')).to.deep.equal([]);
    el.disconnect();
  });
});
