// Widget benchmark page: click-to-connected (hands-free against the in-page fake OpenAI peer), with and without
// prewarm, and connect/disconnect cycles for the heap check (driven from Node, which forces GC over CDP).
import type { VoiceBuddy } from '../../../widget/voice-buddy.ts';
import { turnEvents } from '../../widget/fakes/openai-peer.ts';
import { installBackend, mountWidget, part, sleep, statusReached, waitFor } from './common.ts';

let el: VoiceBuddy | null = null;
let net: ReturnType<typeof installBackend> | null = null;

function ready() {
  if (!el || !net) throw new Error('call setup() first');
  return { el, net, backend: net.backend };
}

/** Ends the conversation and drops what the fake keeps, so only the widget's own memory remains. */
async function hangUp() {
  const { el, backend } = ready();
  el.disconnect();
  for (const peer of backend.peers.splice(0)) peer.close();
  backend.requests.splice(0);
  await sleep(30);
}

const bench = {
  async setup(rttMs: number): Promise<void> {
    net = installBackend(rttMs);
    el = await mountWidget({ mode: 'hands-free' });
  },

  /** One click on Start, timed until the widget reports `listening`; with prewarm, a hover fetched the key first. */
  async connectOnce(prewarm: boolean): Promise<number> {
    const { el, net } = ready();
    const button = part<HTMLButtonElement>(el, 'connect-button');
    if (!button) throw new Error('no connect button');
    if (prewarm) {
      const before = net.finished('/v1/realtime/session');
      button.dispatchEvent(new PointerEvent('pointerenter'));
      await waitFor(() => net.finished('/v1/realtime/session') > before, 'the prewarmed key never arrived');
      await sleep(0);
    }
    // HTMLElement.click() neither hovers nor focuses the button, so nothing is prewarmed unless asked above.
    const listening = statusReached(el, 'listening');
    const t0 = performance.now();
    button.click();
    const t1 = await listening;
    await hangUp();
    return t1 - t0;
  },

  /** Connect, one full hands-free turn, disconnect. */
  async cycle(i: number): Promise<void> {
    const { el, backend } = ready();
    const listening = statusReached(el, 'listening');
    part<HTMLButtonElement>(el, 'connect-button')?.click();
    await listening;
    const answered = el.transcript.filter((e) => e.kind === 'assistant' && e.final).length;
    await backend.latestPeer.play(turnEvents({ userItem: `u${i}`, assistantItem: `a${i}`, responseId: `r${i}` }), 1);
    await waitFor(
      () => el.transcript.filter((e) => e.kind === 'assistant' && e.final).length > answered,
      'the turn did not finish',
    );
    await hangUp();
  },

  transcriptLength: () => ready().el.transcript.length,
};

declare global {
  interface Window {
    benchConnect: typeof bench;
  }
}
window.benchConnect = bench;
