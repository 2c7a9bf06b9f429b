// Push-to-talk's audio (PCM capture and playback on the audio worklet), loaded when a push-to-talk conversation
// opens: no other mode needs it. Self-contained: it shares no code with the start-up bundle (its errors are plain
// AudioErrors, which the start-up side turns into WidgetErrors: ptt-audio.ts).
import { workletUrl } from './audio-worklet-url.ts';
import { PcmCapture } from './pcm-capture.ts';
import { PcmPlayer } from './pcm-player.ts';

/** A capture and a player sharing the worklet next to the widget script (`scriptUrl`). */
export function createPttAudio(
  scriptUrl: string,
  onChunk: (base64: string) => void,
): {
  capture: PcmCapture;
  player: PcmPlayer;
} {
  const url = workletUrl(scriptUrl);
  return { capture: new PcmCapture({ workletUrl: url, onChunk }), player: new PcmPlayer({ workletUrl: url }) };
}
