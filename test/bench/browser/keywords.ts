// Keywords benchmark page: from the fake peer's `response.function_call_arguments.done` to the new chip in the DOM
// (and the next animation frame, when it is painted). The first call also loads the lazy keyword chunk.
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { VoiceBuddy } from '../../../widget/voice-buddy.ts';
import { installBackend, mountWidget, nextFrame, part, sleep, statusReached } from './common.ts';

let el: VoiceBuddy | null = null;
let net: ReturnType<typeof installBackend> | null = null;

function ready() {
  if (!el || !net) throw new Error('call setup() first');
  return { el, backend: net.backend };
}

const isOutputFor = (e: RealtimeClientEvent, callId: string) =>
  e.type === 'conversation.item.create' && (e.item as { call_id?: string }).call_id === callId;

const bench = {
  async setup(): Promise<void> {
    net = installBackend(0);
    el = await mountWidget({ mode: 'hands-free' });
    const listening = statusReached(el, 'listening');
    await el.connect();
    await listening;
  },

  /** One extract_keywords call adding `subject`; resolves with ms to the chip in the DOM and to the next frame. */
  async call(i: number, subject: string): Promise<{ dom: number; frame: number }> {
    const { el, backend } = ready();
    const chips = part(el, 'keywords');
    const root = chips?.shadowRoot;
    if (!root) throw new Error('no keyword chips element');
    const count = () => root.querySelectorAll('[part~="chip"]').length;
    const before = count();
    const peer = backend.latestPeer;
    const callId = `call_bench_${i}`;
    const args = JSON.stringify({ subject: [subject] });
    const where = { response_id: `resp_${i}`, item_id: `item_fc_${i}`, output_index: 0, call_id: callId };
    peer.send({ type: 'response.function_call_arguments.delta', ...where, delta: args });
    let observer: MutationObserver | undefined;
    const inDom = new Promise<number>((resolve, reject) => {
      observer = new MutationObserver(() => count() > before && resolve(performance.now()));
      observer.observe(root, { childList: true, subtree: true, characterData: true });
      setTimeout(() => reject(new Error(`no new chip for "${subject}" within 10 s`)), 10_000);
    });
    const t0 = performance.now();
    peer.send({ type: 'response.function_call_arguments.done', ...where, name: 'extract_keywords', arguments: args });
    try {
      const dom = await inDom;
      const frame = await nextFrame();
      // Let the widget finish answering (function_call_output, response.create) before the next call.
      const deadline = performance.now() + 5000;
      while (!peer.received.some((e) => isOutputFor(e, callId)) && performance.now() < deadline) await sleep(5);
      return { dom: dom - t0, frame: frame - t0 };
    } finally {
      observer?.disconnect();
    }
  },

  finish(): void {
    ready().el.disconnect();
  },
};

declare global {
  interface Window {
    benchKeywords: typeof bench;
  }
}
window.benchKeywords = bench;
