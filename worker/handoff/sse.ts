import type { Env } from '../env.ts';
import { eventsAfter, expireIfStalled, getGeneration, type EventRow } from './store.ts';

export interface StreamOptions {
  /** How soon D1 is asked again right after an event: a running generation writes several a second. */
  pollMs: number;
  /** The interval grows by half each empty read up to this, so a stream waiting on a slow webhook costs little. */
  maxPollMs: number;
  /** A comment line at least this often, so proxies and browsers keep an idle stream open. */
  heartbeatMs: number;
  /** A stream ends after this long; EventSource reconnects with Last-Event-ID and misses nothing. */
  maxMs: number;
  /** How often a waiting stream checks whether its generation has stalled (and fails it if so). */
  stallCheckMs: number;
}

/**
 * Why polling D1 and not a Durable Object per generation: events come from several places (the dispatcher in
 * whichever isolate took the POST, webhook callbacks landing anywhere), and D1 already holds them in order for
 * replay. Each read is one indexed query; reads come every 100 ms while events flow and back off to one a second
 * when none do, so an event shows at most a second late, which is nothing next to a render. It needs no extra
 * binding and behaves the same under wrangler dev, in workerd tests and in production.
 */
export const STREAM_DEFAULTS: StreamOptions = {
  pollMs: 100,
  maxPollMs: 1_000,
  heartbeatMs: 15_000,
  maxMs: 5 * 60_000,
  stallCheckMs: 10_000,
};

const enc = new TextEncoder();

export function formatEvent(e: EventRow): string {
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${e.data}\n\n`;
}

/** The body of GET /v1/generations/:id/events: events after `afterSeq` from D1, then new ones as they are written. */
export function eventStream(
  env: Env,
  generationId: string,
  afterSeq: number,
  opts: StreamOptions = STREAM_DEFAULTS,
): ReadableStream<Uint8Array> {
  const started = Date.now();
  let last = afterSeq;
  let lastWrite = started;
  let lastStallCheck = started;
  let interval = opts.pollMs;
  let first = true;
  let finished = false;
  let cancelled = false;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function next(): Promise<string | null> {
    for (;;) {
      if (finished || cancelled) return null;
      const rows = await eventsAfter(env, generationId, last);
      const prefix = first ? 'retry: 3000\n\n' : '';
      first = false;
      if (rows.length) {
        interval = opts.pollMs;
        last = rows.at(-1)!.seq;
        finished = rows.some((r) => r.type === 'done' || r.type === 'error');
        return prefix + rows.map(formatEvent).join('');
      }
      if (prefix) return prefix;
      const now = Date.now();
      if (now - started >= opts.maxMs) return null;
      if (now - lastStallCheck >= opts.stallCheckMs) {
        lastStallCheck = now;
        const g = await getGeneration(env, generationId);
        if (!g) return null;
        if (await expireIfStalled(env, g)) continue; // the error event is read on the next turn
      }
      if (now - lastWrite >= opts.heartbeatMs) return ': hb\n\n';
      await sleep(Math.min(interval, opts.heartbeatMs - (now - lastWrite)));
      interval = Math.min(opts.maxPollMs, Math.ceil(interval * 1.5));
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: string | null;
        try {
          chunk = await next();
        } catch (e) {
          // A D1 hiccup ends the stream; the client reconnects from its Last-Event-ID and loses nothing.
          console.error('event stream failed', { generationId, error: (e as Error).message });
          chunk = null;
        }
        if (cancelled) return;
        lastWrite = Date.now();
        if (chunk === null) controller.close();
        else controller.enqueue(enc.encode(chunk));
      },
      cancel() {
        cancelled = true;
        wake?.();
      },
    },
    { highWaterMark: 0 },
  );
}
