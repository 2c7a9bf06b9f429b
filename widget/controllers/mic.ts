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
