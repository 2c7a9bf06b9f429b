// Push-to-talk benchmark page: the widget in push-to-talk mode over the fake relay (a real WebSocket to the bench
// server), pressed and held from Node with the real mouse; main-thread long tasks are recorded from the start.
import type { VoiceBuddy } from '../../../widget/voice-buddy.ts';
import { installBackend, mountWidget, part, statusReached } from './common.ts';

const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

// Long animation frames name the scripts that ran in them (not in TypeScript's DOM types yet).
interface ScriptTiming {
  invoker: string;
  sourceURL: string;
  sourceFunctionName: string;
  duration: number;
}
interface LongFrame extends PerformanceEntry {
  scripts: ScriptTiming[];
}
const longFrames: LongFrame[] = [];
if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
  new PerformanceObserver((list) => longFrames.push(...(list.getEntries() as LongFrame[]))).observe({
    type: 'long-animation-frame',
    buffered: true,
  });
}

let el: VoiceBuddy | null = null;

function ready(): VoiceBuddy {
  if (!el) throw new Error('call setup() first');
  return el;
}

const bench = {
  async setup(): Promise<void> {
    installBackend(0);
    el = await mountWidget({ mode: 'push-to-talk' });
    const listening = statusReached(el, 'listening');
    await el.connect();
    await listening;
    await el.updateComplete;
  },

  /** Where to press: the middle of the talk button, in page coordinates. */
  talkButton(): { x: number; y: number } {
    const button = part(ready(), 'talk-button');
    if (!button) throw new Error(`no talk button (mode ${ready().store.$mode.get()}, status ${ready().status})`);
    button.scrollIntoView();
    const box = button.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  },

  now: () => performance.now(),
  status: () => ready().status,
  replies: () => ready().transcript.filter((e) => e.kind === 'assistant' && e.final).length,

  longTasks(
    from: number,
    to: number,
  ): { count: number; longest: number; total: number; before: number; scripts: string[] } {
    const inside = longTasks.filter((t) => t.startTime >= from && t.startTime < to);
    // The scripts that ran longest inside long animation frames of the window: where the time went, if it was ours.
    const scripts = longFrames
      .filter((f) => f.startTime >= from && f.startTime < to)
      .flatMap((f) => f.scripts)
      .filter((s) => s.duration >= 20)
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3)
      .map(
        (s) =>
          `${Math.round(s.duration)} ms ${s.invoker}${s.sourceFunctionName ? ` ${s.sourceFunctionName}` : ''} (${new URL(s.sourceURL || location.href).pathname})`,
      );
    return {
      count: inside.length,
      longest: Math.max(0, ...inside.map((t) => t.duration)),
      total: inside.reduce((a, t) => a + t.duration, 0),
      before: longTasks.filter((t) => t.startTime < from).length,
      scripts,
    };
  },

  finish(): void {
    ready().disconnect();
  },
};

declare global {
  interface Window {
    benchPtt: typeof bench;
  }
}
window.benchPtt = bench;
