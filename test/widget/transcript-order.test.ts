// The conversation in its true order: input transcription runs apart from the reply, so a visitor's words may arrive
// after the answer to them. The widget places each message by input_audio_buffer.committed / previous_item_id.
import { expect, html, waitUntil } from '@open-wc/testing';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, FakeBackend } from './fakes/backend.ts';
import { connected, mount, part } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const conversation = (el: VoiceBuddy) =>
  el.transcript.filter((e) => e.kind === 'user' || e.kind === 'assistant').map((e) => `${e.kind}: ${e.text}`);

function spokenTurn(n: number, previous: string | null, words: string, answer: string) {
  const user = `item_user_${n}`;
  const assistant = `item_asst_${n}`;
  const response_id = `resp_${n}`;
  const at = { response_id, item_id: assistant, output_index: 0, content_index: 0 };
  const reply = [
    { type: 'input_audio_buffer.speech_started', audio_start_ms: 100, item_id: user },
    { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 1500, item_id: user },
    { type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: user },
    {
      type: 'conversation.item.added',
      previous_item_id: previous,
      item: {
        id: user,
        object: 'realtime.item',
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_audio', transcript: null }],
      },
    },
    {
      type: 'response.created',
      response: { id: response_id, object: 'realtime.response', status: 'in_progress', output: [] },
    },
    {
      type: 'conversation.item.added',
      previous_item_id: user,
      item: {
        id: assistant,
        object: 'realtime.item',
        type: 'message',
        role: 'assistant',
        status: 'in_progress',
        content: [],
      },
    },
    { type: 'response.output_audio_transcript.delta', ...at, delta: answer },
    { type: 'response.output_audio_transcript.done', ...at, transcript: answer },
    {
      type: 'response.done',
      response: { id: response_id, object: 'realtime.response', status: 'completed', output: [] },
    },
  ];
  const transcript = [
    { type: 'conversation.item.input_audio_transcription.delta', item_id: user, content_index: 0, delta: words },
    {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: user,
      content_index: 0,
      transcript: words,
    },
  ];
  return { reply, transcript, assistant };
}

describe('the conversation in its true order', () => {
  let backend: FakeBackend;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    await FakeBackend.relay('reset');
  });
  afterEach(() => backend.uninstall());

  it("hands-free: the visitor's words stay above the reply when their transcript comes after it", async () => {
    const el = await mount();
    await connected(el);
    const peer = backend.latestPeer;
    const first = spokenTurn(1, null, 'a wolf on my forearm', 'A wolf on the forearm, lovely.');
    await peer.play(first.reply, 2);
    await waitUntil(() => el.transcript.some((e) => e.kind === 'assistant' && e.final), 'no reply');
    // The visitor's turn already holds its place, above the reply, before a word of it is known.
    expect(conversation(el)).to.deep.equal(['user: …', 'assistant: A wolf on the forearm, lovely.']);
    const shown = part(el, 'transcript')!.shadowRoot!.textContent;
    expect(shown.indexOf('…')).to.be.lessThan(shown.indexOf('A wolf on the forearm'));
    await peer.play(first.transcript, 2);
    await waitUntil(
      () => conversation(el)[0] === 'user: a wolf on my forearm',
      'the transcript did not fill its place',
    );

    // The second turn: transcript even later, after the next turn has started.
    const second = spokenTurn(2, first.assistant, 'make it small', 'Small it is.');
    await peer.play(second.reply, 2);
    const third = spokenTurn(3, second.assistant, 'in black and grey', 'Black and grey, noted.');
    await peer.play(third.reply.slice(0, 4), 2);
    await peer.play([...third.transcript, ...second.transcript, ...third.reply.slice(4)], 2);
    await waitUntil(
      () => conversation(el).length === 6 && !conversation(el).includes('user: …'),
      'not all six messages arrived',
    );
    expect(conversation(el)).to.deep.equal([
      'user: a wolf on my forearm',
      'assistant: A wolf on the forearm, lovely.',
      'user: make it small',
      'assistant: Small it is.',
      'user: in black and grey',
      'assistant: Black and grey, noted.',
    ]);
    el.disconnect();
  });

  it("push-to-talk through the relay: the reply comes first on the wire, the visitor's words first on screen", async () => {
    await FakeBackend.relay('behaviour', {
      transcriptAfter: 'response.done',
      transcript: 'a koi in watercolor',
      reply: 'A watercolor koi, nice.',
    });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="push-to-talk"></voice-buddy>`);
    await el.connect();
    await waitUntil(() => el.status === 'listening' && part(el, 'talk-button'), 'not live');
    await el.updateComplete;
    const talk = part<HTMLButtonElement>(el, 'talk-button')!;
    talk.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 7, bubbles: true }));
    await sleep(400);
    talk.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 7, bubbles: true }));
    await waitUntil(() => conversation(el).includes('user: a koi in watercolor'), 'no transcript', { timeout: 8000 });
    expect(conversation(el)).to.deep.equal(['user: a koi in watercolor', 'assistant: A watercolor koi, nice.']);
    const log = await FakeBackend.relayLog();
    expect(log.at(-1)!.refusals, 'nothing OpenAI would refuse').to.deep.equal([]);
    el.disconnect();
  });
});
