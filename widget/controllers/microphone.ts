// The microphone itself, part of the conversation's machinery (conversation.lazy.ts): opened when a voice
// conversation starts. What the first screen shows of it (the permission) stays in mic.ts.
import { browserName, WidgetError } from '../realtime/kit.ts';

const how = () => ({ how: { key: `how.${browserName()}` as const } });

/** Turns getUserMedia's failures into distinct codes with next steps. */
export function micError(err: unknown): WidgetError {
  const name = (err as { name?: string })?.name ?? '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return WidgetError.of('mic_permission_denied', { cause: err, params: how() });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return WidgetError.of('mic_not_found', { cause: err });
    case 'NotReadableError':
    case 'AbortError':
      return WidgetError.of('mic_busy', { cause: err });
    default:
      return WidgetError.of('mic_unavailable', { cause: err });
  }
}

/** Opens the microphone and stops exactly the tracks it opened. */
export class Microphone {
  private stream: MediaStream | null = null;

  get current(): MediaStream | null {
    return this.stream;
  }

  async open(): Promise<MediaStream> {
    if (this.stream) return this.stream;
    if (!window.isSecureContext) {
      throw WidgetError.of('insecure_context', { retryable: false });
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      throw WidgetError.of('mic_unavailable', { retryable: false });
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
      });
    } catch (err) {
      throw micError(err);
    }
    return this.stream;
  }

  setMuted(muted: boolean): void {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  close(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }
}
