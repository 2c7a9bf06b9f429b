import { WidgetError } from '../api/errors.ts';
import type { Locale } from '../i18n/locale.ts';

/** Which browser's steps to re-allow the microphone the visitor reads (the catalogue's `how.<browser>`). */
export function browserName(): 'edge' | 'firefox' | 'chrome' | 'safari' | 'other' {
  const ua = navigator.userAgent;
  if (/Edg\//.test(ua)) return 'edge';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}

const how = () => ({ how: { key: `how.${browserName()}` as const } });

/** What the Permissions API says about the microphone, in words for the visitor; null when the browser does not say. */
export function micPermissionLabel(state: PermissionState | 'unknown', locale: Locale): string | null {
  switch (state) {
    case 'granted':
      return locale.t('mic.granted');
    case 'prompt':
      return locale.t('mic.prompt');
    case 'denied':
      return locale.t('mic.denied', how());
    default:
      return null;
  }
}

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

/** Follows the microphone permission where the Permissions API knows it; returns a stop function. */
export function watchMicPermission(onChange: (state: PermissionState) => void): () => void {
  let status: PermissionStatus | null = null;
  let stopped = false;
  const update = () => status && onChange(status.state);
  navigator.permissions
    ?.query({ name: 'microphone' })
    .then((s) => {
      if (stopped) return;
      status = s;
      update();
      s.addEventListener('change', update);
    })
    .catch(() => {
      /* Firefox and older Safari do not know this permission name */
    });
  return () => {
    stopped = true;
    status?.removeEventListener('change', update);
  };
}
