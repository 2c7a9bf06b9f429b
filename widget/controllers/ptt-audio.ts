// Push-to-talk's audio (pcm.lazy.ts), for the conversation's machinery: loads it when a push-to-talk conversation
// opens and gives its errors the widget's own type, so that they are told to the visitor and drive the fallback like
// any other.
import { loadPcmAudio, SCRIPT_URL, WidgetError } from '../realtime/kit.ts';
import type { PttAudio } from '../realtime/live.ts';

/** An AudioError of the lazy chunk (by its shape: the chunk's class is not this bundle's) as a WidgetError. */
const widgetError = (err: unknown): unknown =>
  err instanceof Error && err.name === 'AudioError' && 'code' in err && typeof err.code === 'string'
    ? new WidgetError(err.code, err.message, { cause: err.cause })
    : err;

const rethrow = (err: unknown): never => {
  throw widgetError(err);
};

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
