import { expect, waitUntil } from '@open-wc/testing';
import { ScriptedTransport, server } from '../../test/widget/fakes/scripted-transport.ts';
import { ApiClient } from '../api/client.ts';
import { WorkerApi } from '../api/endpoints.ts';
import { WidgetError } from '../api/errors.ts';
import { loadMachinery } from '../controllers/conversation.ts';
import { createSessionStore, type Mode } from '../state/session-store.ts';
import { VoiceConnection } from './connection.ts';
import type { Live, OpenOptions } from './live.ts';
import { RealtimeSession } from './session.ts';

// The connection is the lazy machinery's: it runs with what the start-up bundle hands it (realtime/kit.ts).
before(() => loadMachinery());

/**
 * A connection whose sessions run over scripted transports: `failures` are what the next opens of a mode throw.
 * Only the network is missing; the session, the fallback chain, reconnects and the outbox are the real ones.
 */
function setup(failures: Partial<Record<Mode, WidgetError[]>> = {}) {
  const store = createSessionStore();
  const transports: ScriptedTransport[] = [];
  const opened: Mode[] = [];
  const errors: string[] = [];
  store.onError((e) => errors.push(e.code));
  const open = async (mode: Mode, o: OpenOptions): Promise<Live> => {
    opened.push(mode);
    const failure = failures[mode]?.shift();
    if (failure) throw failure;
    const transport = new ScriptedTransport(mode === 'text' ? 'text' : 'websocket');
    transports.push(transport);
    const session = new RealtimeSession(o.store, transport);
    o.attach(session);
    await transport.connect();
    transport.on('closed', ({ error }) =>
      o.onClosed(error ?? new WidgetError('connection_lost', 'The connection closed.')),
    );
    const release = () => {
      session.dispose();
      transport.close();
    };
    return { mode, sessionId: `s${transports.length}`, session, transport, ptt: null, release };
  };
  const connection = new VoiceConnection({
    api: new WorkerApi(new ApiClient('https://api.voice-buddy.invalid', 'pk_test')),
    store,
    host: document.body,
    uid: () => 'visitor',
    model: () => undefined,
    voice: () => undefined,
    language: () => undefined,
    allowedModes: () => ['push-to-talk', 'text'],
    pttAudio: () => {
      throw new Error('no audio in these tests');
    },
    open,
  });
  return { store, connection, transports, opened, errors };
}

describe('VoiceConnection over a scripted transport', () => {
  const base = VoiceConnection.backoffBaseMs;
  before(() => (VoiceConnection.backoffBaseMs = 5));
  after(() => (VoiceConnection.backoffBaseMs = base));

  it("passes on the live session's events, and after a reconnect only the new session's", async () => {
    const { store, connection, transports } = setup();
    store.$mode.set('text');
    const deltas: string[] = [];
    connection.on('assistant-delta', (d) => deltas.push(d.delta));
    await connection.connect();
    expect(store.$status.get()).to.equal('listening');
    transports[0]!.play(server.responseCreated('r1'), server.textDelta('r1', 'i1', 'one'));
    const first = transports[0]!;
    first.drop();
    await waitUntil(() => transports.length === 2 && store.$status.get() === 'listening', 'did not reconnect');
    transports[1]!.play(server.responseCreated('r2'), server.textDelta('r2', 'i2', 'two'));
    expect(deltas).to.deep.equal(['one', 'two']);
    connection.dispose();
  });

  it('a cap ends the conversation with one reported error, no reconnect and no fallback', async () => {
    const { store, connection, transports, opened, errors } = setup();
    store.$mode.set('push-to-talk');
    await connection.connect();
    transports[0]!.play(server.error('session_max_seconds'));
    transports[0]!.drop(
      new WidgetError('session_max_seconds', 'This conversation reached its time limit.', { retryable: false }),
    );
    await waitUntil(() => store.$status.get() === 'error', 'no error status');
    expect(errors).to.deep.equal(['session_max_seconds']);
    expect(opened).to.deep.equal(['push-to-talk']);
    expect(store.$error.get()).to.include({ code: 'session_max_seconds', retryable: false });
  });

  it('steps down to the next allowed mode when one cannot connect, reporting that failure once', async () => {
    const refused = new WidgetError('relay_unreachable', 'The conversation service could not be reached.');
    const { store, connection, opened, errors } = setup({ 'push-to-talk': [refused] });
    store.$mode.set('push-to-talk');
    await connection.connect();
    expect(opened).to.deep.equal(['push-to-talk', 'text']);
    expect(errors).to.deep.equal(['relay_unreachable']);
    expect(store.$mode.get()).to.equal('text');
    expect(store.$fallback.get()).to.deep.equal({ from: 'push-to-talk', reason: 'relay_unreachable' });
    connection.dispose();
  });

  it('a refusal of the site is final in every mode: no fallback', async () => {
    const { store, connection, opened } = setup({
      'push-to-talk': [new WidgetError('quota_exceeded', 'Limit reached.', { retryable: false })],
    });
    store.$mode.set('push-to-talk');
    await connection.connect();
    expect(opened).to.deep.equal(['push-to-talk']);
    expect(store.$status.get()).to.equal('error');
  });

  it('a message typed with no session waits as pending, then goes out first thing in the next session', async () => {
    const { store, connection, transports } = setup();
    store.$mode.set('text');
    const sent = connection.sendText('A compass');
    expect(store.$transcript.get().map((e) => [e.text, e.delivery])).to.deep.equal([['A compass', 'pending']]);
    await connection.connect();
    expect(await sent).to.equal(true);
    const create = transports[0]!.sent.find((e) => e.type === 'conversation.item.create');
    expect(JSON.stringify(create)).to.contain('A compass');
    expect(store.$transcript.get()[0]!.delivery).to.equal(undefined);
    connection.dispose();
  });
});
