// The viewer's parts, forwarded so a page can style them through <voice-buddy>. The start-up bundle owns the list
// (the view forwards it before the gallery has loaded); the lazy gallery gets it through the kit (../kit.ts).
export const VIEWER_PARTS = [
  'viewer',
  'viewer-position',
  'viewer-close',
  'viewer-stage',
  'viewer-image',
  'viewer-previous',
  'viewer-next',
  'viewer-caption',
  'select-button',
  'download-link',
];
