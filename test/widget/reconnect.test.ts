// A new session continues the conversation: it is told the brief and the recent turns; a message typed while the
// connection is down waits, shown as pending, and goes out when it is back, or is marked "not sent" with a retry.
import { expect, html, waitUntil } from '@open-wc/testing';
import { VoiceConnection } from '../../widget/realtime/connection.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, baseConfig, FakeBackend } from './fakes/backend.ts';
import { mount, part, transcriptTexts } from './helpers.ts';

type Received = { type: string; item?: { type: string; role?: string; content?: Array<{ text?: string }> } };
const received = async (connection: number) =>
  ((await FakeBackend.relayLog())[connection]?.received ?? []) as unknown as Received[];
const messages = (el: VoiceBuddy) => part(el, 'transcript')!.shadowRoot!;

describe('reconnecting keeps the conversation', () => {
  let backend: FakeBackend;
  const backoff = VoiceConnection.backoffBaseMs;
  beforeEach(async () => {
    backend = new FakeBackend().install();
    backend.config = baseConfig({ modes: ['text'], defaultMode: 'text' });
    await FakeBackend.relay('reset');
    VoiceConnection.backoffBaseMs = 20;
  });
  afterEach(() => {
    backend.uninstall();
    VoiceConnection.backoffBaseMs = backoff;
  });

  async function talked(): Promise<VoiceBuddy> {
    await FakeBackend.relay('behaviour', {
      functionCall: { subject: ['wolf'], placement: 'forearm' },
      reply: 'A wolf on your forearm.',
    });
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
    expect(await el.sendText('a wolf on my forearm')).to.equal(true);
    await waitUntil(
      () => el.store.$keywords.get()?.subject.includes('wolf') && transcriptTexts(el, 'assistant').length >= 2,
      'the first turn did not finish',
    );
    await waitUntil(() => el.status === 'listening');
    return el;
  }

  it('a reconnected session is told the brief and the recent turns, and says nothing until asked', async () => {
    const el = await talked();
    await FakeBackend.relay('drop');
    await waitUntil(
      async () => (await FakeBackend.relayLog()).length === 2 && el.status === 'listening',
      'did not reconnect',
      { timeout: 8000 },
    );
    await waitUntil(async () => (await received(1)).length > 0, 'the new session heard nothing');
    await new Promise((r) => setTimeout(r, 200));
    const events = await received(1);
    expect(
      events.map((e) => e.type),
      'a note and the brief, and no response asked for',
    ).to.deep.equal(['conversation.item.create', 'conversation.item.create']);
    const note = events[0]!.item!;
    expect(note).to.include({ type: 'message', role: 'user' });
    const text = note.content![0]!.text!;
    expect(text).to.contain('Visitor: a wolf on my forearm');
    expect(text).to.contain('Assistant: A wolf on your forearm.');
    const brief = events[1]!.item!;
    expect(brief).to.include({ type: 'message', role: 'system' });
    expect(brief.content![0]!.text).to.contain('"subject":["wolf"]');
    expect(brief.content![0]!.text).to.contain('"placement":"forearm"');
    expect((await FakeBackend.relayLog())[1]!.refusals).to.deep.equal([]);
    // The chips are still there, and the next turn goes on in the same conversation.
    expect(el.store.$keywords.get()?.placement).to.equal('forearm');
    el.disconnect();
  });

  it('a message typed while the connection is down waits, shown as pending, and goes out when it is back', async () => {
    const el = await talked();
    VoiceConnection.backoffBaseMs = 400;
    await FakeBackend.relay('behaviour', { refuse: 502, reply: 'Small it is.' });
    await FakeBackend.relay('drop');
    await waitUntil(() => el.status === 'reconnecting', 'not reconnecting');
    const sent = el.sendText('make it small');
    await waitUntil(
      () => messages(el).querySelector('[data-delivery="pending"]'),
      'the message is not shown as pending',
    );
    expect(messages(el).querySelector('[data-delivery="pending"]')!.textContent).to.contain('make it small');
    await FakeBackend.relay('behaviour', { reply: 'Small it is.' });
    expect(await sent, 'sent once the connection was back').to.equal(true);
    await waitUntil(
      () => transcriptTexts(el, 'assistant').includes('Small it is.'),
      'no reply to the waiting message',
      { timeout: 8000 },
    );
    expect(messages(el).querySelector('[data-delivery]')).to.equal(null);
    const log = await FakeBackend.relayLog();
    const last = log.at(-1)!.received as unknown as Received[];
    expect(last.map((e) => e.type)).to.deep.equal([
      'conversation.item.create',
      'conversation.item.create',
      'conversation.item.create',
      'response.create',
    ]);
    expect(last[2]!.item!.content![0]!.text).to.equal('make it small');
    expect(transcriptTexts(el, 'user')).to.deep.equal(['a wolf on my forearm', 'make it small']);
    el.disconnect();
  });

  it('a message that cannot be sent is marked "not sent" and Retry sends it', async () => {
    const el = await talked();
    await FakeBackend.relay('behaviour', { refuse: 502 });
    await FakeBackend.relay('drop');
    await waitUntil(() => el.status === 'reconnecting', 'not reconnecting');
    const sent = el.sendText('in black and grey');
    expect(await sent, 'the connection never came back').to.equal(false);
    await waitUntil(() => el.status === 'error');
    await el.updateComplete;
    const failed = messages(el).querySelector<HTMLElement>('[data-delivery="failed"]')!;
    expect(failed.textContent).to.contain('Not sent');
    await FakeBackend.relay('behaviour', { reply: 'Black and grey, noted.' });
    failed.querySelector<HTMLButtonElement>('[part~="resend-button"]')!.click();
    await waitUntil(
      () => transcriptTexts(el, 'assistant').includes('Black and grey, noted.'),
      'Retry did not send it',
      { timeout: 8000 },
    );
    expect(messages(el).querySelector('[data-delivery]')).to.equal(null);
    expect(transcriptTexts(el, 'user')).to.deep.equal(['a wolf on my forearm', 'in black and grey']);
    el.disconnect();
  });
});
