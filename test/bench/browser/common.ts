// Shared by the browser benchmark entries: mount a <voice-buddy> against the in-page FakeBackend, wait for
// conditions, and add a simulated network round trip to the fake Worker API and OpenAI's /calls endpoint.
import '../../../widget/voice-buddy.ts';
import type { VoiceBuddy } from '../../../widget/voice-buddy.ts';
import { API, FakeBackend, OPENAI } from '../../widget/fakes/backend.ts';

export { API, FakeBackend };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));

export async function waitFor(check: () => boolean, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await sleep(5);
  }
}

export const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null =>
  el.shadowRoot?.querySelector<T>(`[part~="${name}"]`) ?? null;

/** Resolves (with the time) when the element reports `status`. */
export function statusReached(el: VoiceBuddy, status: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      el.removeEventListener('voice-buddy-status-change', on);
      reject(new Error(`no status ${status} within ${timeoutMs} ms (now ${el.status})`));
    }, timeoutMs);
    const on = (e: CustomEvent<{ status: string }>) => {
      if (e.detail.status !== status) return;
      const at = performance.now();
      clearTimeout(timer);
      el.removeEventListener('voice-buddy-status-change', on);
      resolve(at);
    };
    el.addEventListener('voice-buddy-status-change', on);
  });
}

/**
 * Installs the FakeBackend, then a layer above it that delays every request to the fake Worker and to OpenAI's
 * /calls by `rttMs` (half before, half after), and counts finished answers per path.
 */
export function installBackend(rttMs = 0) {
  const backend = new FakeBackend().install();
  const inner = window.fetch;
  const finished = new Map<string, number>();
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== API && url.origin !== OPENAI) return inner.call(window, input, init);
    if (rttMs) await sleep(rttMs / 2);
    const res = await inner.call(window, input, init);
    if (rttMs) await sleep(rttMs / 2);
    finished.set(url.pathname, (finished.get(url.pathname) ?? 0) + 1);
    return res;
  };
  return { backend, finished: (path: string) => finished.get(path) ?? 0 };
}

/** Mounts a widget pointed at the fake API and waits for its bootstrap. */
export async function mountWidget(attrs: Record<string, string> = {}): Promise<VoiceBuddy> {
  const el = document.createElement('voice-buddy');
  el.setAttribute('key', 'pk_test');
  el.setAttribute('api-base', API);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  await waitFor(() => Boolean(el.store.$config.get() || el.store.$error.get()), 'bootstrap did not finish');
  const error = el.store.$error.get();
  if (error) throw new Error(`bootstrap failed: ${error.code} ${error.message}`);
  await el.updateComplete;
  return el;
}
