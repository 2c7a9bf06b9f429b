import { WidgetError } from '../api/errors.ts';

function browserName(): string {
  const ua = navigator.userAgent;
  if (/Edg\//.test(ua)) return 'edge';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}

const REALLOW: Record<string, string> = {
  chrome: 'click the microphone or lock icon at the left of the address bar, choose Allow for the microphone, then press Retry.',
  edge: 'click the lock icon at the left of the address bar, set Microphone to Allow, then press Retry.',
  firefox: 'click the microphone icon with a line through it in the address bar, remove the block, then press Retry.',
  safari: 'open Safari > Settings for This Website, set Microphone to Allow, then press Retry.',
  other: "open this site's permissions in your browser, allow the microphone, then press Retry.",
};

/** What the Permissions API says about the microphone, in words for the visitor; null when the browser does not say. */
export function micPermissionLabel(state: PermissionState | 'unknown'): string | null {
  switch (state) {
    case 'granted':
      return 'Microphone allowed';
    case 'prompt':
      return 'Your browser will ask for the microphone when you start';
    case 'denied':
      return `Microphone blocked: to talk, ${REALLOW[browserName()]}`;
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
      return new WidgetError('mic_permission_denied', `Microphone access is blocked. To talk, ${REALLOW[browserName()]} You can also type instead.`, { cause: err });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new WidgetError('mic_not_found', 'No microphone was found. Plug one in (or check it is enabled in your system settings) and press Retry, or type instead.', { cause: err });
    case 'NotReadableError':
    case 'AbortError':
      return new WidgetError('mic_busy', 'Your microphone is being used by another app or tab. Close it there and press Retry, or type instead.', { cause: err });
    default:
      return new WidgetError('mic_unavailable', 'The microphone could not be started. Press Retry, or type instead.', { cause: err });
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
      throw new WidgetError('insecure_context', 'Voice needs a secure page (https). Open this site over https to talk, or type instead.', { retryable: false });
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new WidgetError('mic_unavailable', 'This browser cannot use a microphone here. Please type instead.', { retryable: false });
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
    ?.query({ name: 'microphone' as PermissionName })
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
