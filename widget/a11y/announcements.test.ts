import { expect } from '@open-wc/testing';
import { AnnouncementQueue, holdMs, type Timers } from './announcements.ts';

/** A clock the test moves by hand. */
function fakeTimers() {
  let now = 0;
  let pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const timers: Timers = {
    set: (fn, ms) => {
      pending.push({ at: now + ms, fn, id: ++ids });
      return ids;
    },
    clear: (id) => {
      pending = pending.filter((p) => p.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      pending.sort((a, b) => a.at - b.at);
      const due = pending[0];
      if (!due || due.at > until) break;
      pending.shift();
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe('announcement queue', () => {
  it('shows a text at once when the region is free', () => {
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), fakeTimers().timers);
    q.push('Listening');
    expect(said).to.deep.equal(['Listening']);
  });

  it('never overwrites a reply with the status that follows it: the status waits its turn', () => {
    const { timers, advance } = fakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), timers);
    const reply = 'Assistant: A fox on the forearm in fine line would look lovely. Shall I add roses?';
    q.push(reply, 'message');
    q.push('Listening');
    expect(said).to.deep.equal([reply]);
    advance(holdMs(reply, 'message') - 1);
    expect(said).to.deep.equal([reply]);
    advance(1);
    expect(said).to.deep.equal([reply, 'Listening']);
  });

  it('keeps every message in order and only the newest waiting status', () => {
    const { timers, advance } = fakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), timers);
    q.push('Thinking');
    q.push('Assistant: one', 'message');
    q.push('Speaking');
    q.push('3 new concepts', 'message');
    q.push('Listening');
    advance(60_000);
    expect(said).to.deep.equal(['Thinking', 'Assistant: one', '3 new concepts', 'Listening']);
  });

  it('says the same text twice by changing the region', () => {
    const { timers, advance } = fakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), timers);
    q.push('Listening');
    advance(5000);
    q.push('Listening');
    expect(said).to.have.length(2);
    expect(said[1]).not.to.equal(said[0]);
    expect(said[1]!.replace(/\u200b/g, '')).to.equal('Listening');
  });

  it('holds a text about as long as it takes to speak, within bounds', () => {
    expect(holdMs('Listening', 'status')).to.equal(1000);
    expect(holdMs('Hi', 'message')).to.equal(1500);
    expect(holdMs('x'.repeat(100), 'message')).to.equal(6500);
    expect(holdMs('x'.repeat(1000), 'message')).to.equal(10_000);
  });

  it('clear drops what is waiting', () => {
    const { timers, advance } = fakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), timers);
    q.push('Assistant: one', 'message');
    q.push('Assistant: two', 'message');
    q.clear();
    advance(60_000);
    expect(said).to.deep.equal(['Assistant: one']);
  });
});
