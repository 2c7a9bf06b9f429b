// Start-up side of push-to-talk's audio (pcm.lazy.ts): loads it when a push-to-talk conversation opens and gives
// its errors the widget's own type, so that they are told to the visitor and drive the fallback like any other.
import { WidgetError } from '../api/errors.ts';
import { SCRIPT_URL } from '../attributes.ts';
import { loadPcmAudio } from '../lazy.ts';
import type { PttAudio } from '../realtime/live.ts';

/** An AudioError of the lazy chunk (by its shape: the chunk's class is not this bundle's) as a WidgetError. */
const widgetError = (err: unknown): unknown =>
  err instanceof Error && err.name === 'AudioError' && 'code' in err && typeof err.code === 'string'
    ? new WidgetError(err.code, err.message, { cause: err.cause })
    : err;

const rethrow = (err: unknown): never => {
  throw widgetError(err);
};

/** Fetches the chunk ahead (Start hovered or focused); a failure is left to the load that needs it. */
export function prefetchPttAudio(): void {
  loadPcmAudio().catch(() => {});
}

export async function loadPttAudio(onChunk: (base64: string) => void): Promise<PttAudio> {
  const { createPttAudio } = await loadPcmAudio();
  const { capture, player } = createPttAudio(SCRIPT_URL, onChunk);
  return {
    capture: {
      start: (stream, opts) => capture.start(stream, opts).catch(rethrow),
      resume: () => capture.resume(),
      pause: () => capture.pause().catch(rethrow),
      stop: () => capture.stop(),
    },
    player: {
      enqueue: (itemId, base64) => player.enqueue(itemId, base64),
      clear: () => player.clear(),
      get playing() {
        return player.playing;
      },
      onIdle: (cb) => player.onIdle(cb),
      start: () => player.start().catch(rethrow),
      close: () => player.close(),
      setMuted: (muted) => player.setMuted(muted),
    },
  };
}
