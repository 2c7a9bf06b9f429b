// Widget telemetry (README "Analytics"), loaded only when the site and the page allow it. It watches the element's
// session store and its voice-buddy-avatar events, and sends batches of short, content-free events to
// POST /v1/events: never a transcript, a keyword, a prompt or an image. The visitor is a salted hash of a random
// per-browser id, different for every site. Only types are imported: this chunk shares no module with start-up.
import type { WidgetEvent } from '../../worker/analytics/events.ts';
import type { createSessionStore, Mode as WidgetMode } from '../state/session-store.ts';

type Store = ReturnType<typeof createSessionStore>;
type Event = WidgetEvent;

export interface TelemetryOptions {
  host: HTMLElement;
  store: Store;
  /** API base (the script's origin unless api-base says otherwise) and the tenant's publishable key. */
  base: string;
  publishableKey: string;
  /** The element's time from meeting the page to its bootstrap answered (sent once, as page_ready). */
  readyMs?: number;
}

const MODES: Record<WidgetMode, NonNullable<Event['mode']>> = {
  'hands-free': 'webrtc',
  'push-to-talk': 'websocket',
  text: 'text',
};
const LIVE = new Set(['listening', 'thinking', 'speaking']);
const FLUSH_MS = 5_000;
const MAX_BATCH = 100;
/** The Worker takes at most 1,000 events of one session in 10 minutes (429 beyond): more is not worth sending. */
const MAX_PER_SESSION = 1000;
const clampMs = (ms: number) => Math.min(86_400_000, Math.max(0, Math.round(ms)));
const code = (s: string) =>
  s
    .replace(/[^a-z0-9_.-]+/gi, '_')
    .replace(/^[^a-z0-9]+/i, '')
    .slice(0, 48) || 'unknown';

function randomId(bytes = 16): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** SHA-256 of "<publishable key>:<random per-browser id>": not linkable across sites, never the id itself. */
async function visitorHash(key: string): Promise<string | undefined> {
  try {
    let id = localStorage.getItem('voice-buddy-visitor');
    if (!id) localStorage.setItem('voice-buddy-visitor', (id = randomId()));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${key}:${id}`));
    return [...new Uint8Array(digest)]
      .slice(0, 16)
      .map((x) => x.toString(16).padStart(2, '0'))
      .join('');
  } catch {
    return undefined; // no storage or no crypto.subtle (an insecure page): events go without a visitor
  }
}

/** Starts observing; `stop` sends what is left, `pageHide` reports the session's end now (the page is going). */
export function startTelemetry(opts: TelemetryOptions): { stop(): void; pageHide(): void } {
  const { host, store, base, publishableKey, readyMs } = opts;
  const url = new URL('/v1/events', base);
  url.searchParams.set('key', publishableKey);
  let session = randomId();
  let visitor: string | undefined;
  void visitorHash(publishableKey).then((v) => (visitor = v));
  const queue: Event[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const mode = () => MODES[store.$mode.get()];

  /**
   * keepalive fetch normally; sendBeacon when the page is going away. text/plain and the key in the URL: no preflight.
   */
  const flush = (leaving = false) => {
    if (timer) clearTimeout(timer);
    timer = null;
    while (queue.length) {
      const body = JSON.stringify({ session, ...(visitor ? { visitor } : {}), events: queue.splice(0, MAX_BATCH) });
      const blob = new Blob([body], { type: 'text/plain' });
      if (leaving && navigator.sendBeacon?.(url.href, blob)) continue;
      fetch(url.href, {
        method: 'POST',
        body,
        keepalive: true,
        credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' },
      }).catch(() => {});
    }
  };
  let sentInSession = 0;
  /** Set while pagehide runs: whatever is sent then (the session's end) goes by beacon. */
  let leaving = false;
  const push = (e: Event, now = false) => {
    if (++sentInSession > MAX_PER_SESSION) return;
    queue.push(e);
    if (now || queue.length >= MAX_BATCH) flush(leaving);
    else timer ??= setTimeout(flush, FLUSH_MS);
  };

  if (readyMs !== undefined) push({ name: 'page_ready', ms: clampMs(readyMs) });

  let attemptAt = 0;
  let liveAt = 0;
  let previous = store.$status.get();
  const turns = () => store.$transcript.get().filter((t) => t.kind === 'user').length;
  const turnsAtStart = { n: 0 };
  const endSession = (reason: string) => {
    if (!liveAt) return;
    push(
      {
        name: 'session_end',
        mode: mode(),
        ms: Date.now() - liveAt,
        turns: Math.max(0, turns() - turnsAtStart.n),
        reason,
      },
      true,
    );
    liveAt = 0;
  };

  const requested = new Set<string>();
  const firstConcept = new Map<string, number>();
  const finished = new Set<string>();

  const offs = [
    store.$status.listen((status) => {
      const was = previous;
      previous = status;
      if (status === 'connecting' && was !== 'reconnecting') {
        if (!liveAt) {
          session = randomId();
          sentInSession = 0;
        }
        attemptAt = Date.now();
        push({ name: 'connect_attempt', mode: mode() });
      } else if (status === 'reconnecting') {
        push({ name: 'reconnect', mode: mode() });
      } else if (LIVE.has(status) && attemptAt) {
        push({ name: 'connect_result', mode: mode(), ok: true, ms: Date.now() - attemptAt }, true);
        attemptAt = 0;
        liveAt = Date.now();
        turnsAtStart.n = turns();
      } else if (status === 'error' && attemptAt) {
        push({
          name: 'connect_result',
          mode: mode(),
          ok: false,
          ms: Date.now() - attemptAt,
          code: code(store.$error.get()?.code ?? 'error'),
        });
        attemptAt = 0;
      } else if (status === 'idle' || status === 'error') {
        endSession(status === 'idle' ? 'ended' : 'error');
      }
    }),
    store.$error.listen((error) => {
      if (error) push({ name: 'error', code: code(error.code), mode: mode() });
    }),
    store.$fallback.listen((fallback) => {
      if (fallback) push({ name: 'fallback', mode: MODES[fallback.from], to: mode(), reason: code(fallback.reason) });
    }),
    store.$micPermission.listen((state) => {
      if (state !== 'unknown') push({ name: 'mic_permission', outcome: code(state) });
    }),
    store.$generations.listen((list) => {
      for (const g of list) {
        if (!requested.has(g.id)) {
          requested.add(g.id);
          firstConcept.set(g.id, Date.now());
          push({ name: 'generation_requested' });
        }
        const started = firstConcept.get(g.id);
        if (started !== undefined && g.concepts.length > 0) {
          firstConcept.delete(g.id);
          push({ name: 'generation_first_concept', ms: Date.now() - started });
        }
        if ((g.status === 'done' || g.status === 'error') && !finished.has(g.id)) {
          finished.add(g.id);
          push(
            g.status === 'done'
              ? { name: 'generation_done' }
              : { name: 'generation_failed', code: code(g.error ?? 'error') },
          );
        }
      }
    }),
  ];
  const onAvatar = (e: globalThis.Event) => {
    const d = (e as CustomEvent<{ type: string; reason?: string; quality?: string; ms?: number }>).detail;
    if (d.type === 'started') push({ name: 'avatar_start' });
    else if (d.type === 'fallback') push({ name: 'avatar_fallback', reason: code(d.reason ?? 'unknown') });
    else if (d.type === 'quality-changed') push({ name: 'avatar_quality', quality: code(d.quality ?? 'unknown') });
    else if (d.type === 'sync' && typeof d.ms === 'number') push({ name: 'avatar_sync', ms: clampMs(d.ms) });
  };
  // A hidden page may never come back (mobile browsers discard it without pagehide): send what is queued now.
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush(true);
  };
  // A page that goes away mid-conversation still reports the session's end, by beacon.
  const onPageHide = () => {
    leaving = true;
    endSession('pagehide');
    flush(true);
    leaving = false;
  };
  host.addEventListener('voice-buddy-avatar', onAvatar);
  document.addEventListener('visibilitychange', onHide);
  // The element calls pageHide() itself before it ends the conversation; this listener covers the rest (idempotent).
  window.addEventListener('pagehide', onPageHide);
  const stop = () => {
    for (const off of offs) off();
    host.removeEventListener('voice-buddy-avatar', onAvatar);
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', onPageHide);
    endSession('removed');
    flush(true);
  };
  return { stop, pageHide: onPageHide };
}
