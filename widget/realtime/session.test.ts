import { expect } from '@open-wc/testing';
import { ScriptedTransport, server } from '../../test/widget/fakes/scripted-transport.ts';
import { loadMachinery } from '../controllers/conversation.ts';
import { createSessionStore } from '../state/session-store.ts';
import { FORWARDED_EVENTS } from './connection.ts';
import type { SessionEvents } from './session-events.ts';
import { RealtimeSession } from './session.ts';

// The session is the lazy machinery's: its notes read the English that comes with it (realtime/kit.ts).
before(() => loadMachinery());

/** A session over a scripted transport, and every semantic event it emitted, in order. */
async function setup() {
  const store = createSessionStore();
  const transport = new ScriptedTransport('text');
  const session = new RealtimeSession(store, transport);
  const seen: Array<[keyof SessionEvents, unknown]> = [];
  // What the conversation forwards, and the status the session decides itself.
  const types: Array<keyof SessionEvents> = [...FORWARDED_EVENTS, 'status'];
  for (const type of types) session.on(type, (payload) => seen.push([type, payload]));
  await transport.connect();
  const of = <K extends keyof SessionEvents>(type: K) =>
    seen.filter(([t]) => t === type).map(([, p]) => p as SessionEvents[K]);
  return { store, transport, session, seen, of };
}

describe('RealtimeSession: the one decoder', () => {
  it('turns a text reply into transcript, assistant deltas, done, usage and reply-done', async () => {
    const { store, transport, of } = await setup();
    transport.play(
      server.created(),
      server.responseCreated('r1'),
      server.textDelta('r1', 'i1', 'A wolf '),
      server.textDelta('r1', 'i1', 'on the forearm.'),
      server.textDone('r1', 'i1', 'A wolf on the forearm.'),
      server.responseDone('r1', { input_tokens: 10, output_tokens: 5, total_tokens: 15 }),
    );
    expect(of('assistant-delta').map((d) => [d.responseId, d.itemId, d.delta, d.source])).to.deep.equal([
      ['r1', 'i1', 'A wolf ', 'text'],
      ['r1', 'i1', 'on the forearm.', 'text'],
    ]);
    expect(of('assistant-done')).to.deep.equal([
      { responseId: 'r1', itemId: 'i1', text: 'A wolf on the forearm.', source: 'text' },
    ]);
    expect(of('reply-done')).to.deep.equal([{ responseId: 'r1' }]);
    expect(of('usage')[0]).to.include({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(store.$usage.get()).to.include({ responses: 1, totalTokens: 15 });
    expect(store.$transcript.get().map((e) => [e.kind, e.text, e.final])).to.deep.equal([
      ['assistant', 'A wolf on the forearm.', true],
    ]);
    expect(of('status')).to.deep.equal(['listening', 'thinking', 'listening']);
  });

  it('hands a function call over with an answer that goes to this session, the follow-up after response.done', async () => {
    const { transport, of } = await setup();
    transport.play(server.responseCreated('r1'), server.call('r1', 'c1', 'extract_keywords', '{"subject":["wolf"]}'));
    const [call] = of('function-call');
    expect(call).to.include({ name: 'extract_keywords', callId: 'c1', arguments: '{"subject":["wolf"]}' });
    call!.answer({ ok: true });
    expect(transport.types()).to.deep.equal(['conversation.item.create']);
    expect(transport.sent[0]).to.deep.include({
      item: { type: 'function_call_output', call_id: 'c1', output: '{"ok":true}' },
    });
    transport.play(server.responseDone('r1'));
    expect(transport.types()).to.deep.equal(['conversation.item.create', 'response.create']);
  });

  it('barge-in has one entry point: speech, a press and typed text each emit it once; only a reply in progress is cancelled', async () => {
    const { transport, session, of } = await setup();
    transport.play(server.speechStarted());
    expect(of('barge-in')).to.deep.equal([{ by: 'speech' }]);
    expect(transport.types()).to.deep.equal([]); // nothing to cancel: response.cancel would be an error at the API
    transport.play(server.responseCreated('r1'), server.textDelta('r1', 'i1', 'Hel'));
    session.interrupt('press');
    expect(of('barge-in')).to.deep.equal([{ by: 'speech' }, { by: 'press' }]);
    expect(transport.types()).to.deep.equal(['response.cancel']);
    transport.play(server.responseDone('r1'));
    session.sendText('Make it bolder');
    expect(of('barge-in').at(-1)).to.deep.equal({ by: 'text' });
    expect(transport.types()).to.deep.equal(['response.cancel', 'conversation.item.create', 'response.create']);
  });

  it("a server error reaches people as a sentence, never OpenAI's words; the relay's pre-close error is left to the close", async () => {
    const { store, transport, of } = await setup();
    transport.play(server.error('session_max_seconds'), server.error('rate_limit_exceeded'));
    expect(of('error')).to.have.length(1);
    expect(of('error')[0]!.code).to.equal('rate_limit_exceeded');
    expect(of('error')[0]!.message).not.to.contain('raw');
    expect(store.$transcript.get().filter((e) => e.kind === 'notice')).to.have.length(1);
  });

  it('emits nothing after dispose', async () => {
    const { transport, session, seen } = await setup();
    session.dispose();
    transport.play(server.responseCreated('r1'), server.textDelta('r1', 'i1', 'late'));
    expect(seen).to.deep.equal([]);
  });
});
