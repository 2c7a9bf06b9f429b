// Part of the contract between the Worker and the widget (widget/contract/): plain values and types, no Worker, DOM
// or library imports, so both sides (and their tests and fakes) may import it.

/** The API's names of the ways to talk, best first: what bootstrap lists and `POST /v1/realtime/session` takes. */
export const API_MODES = ['webrtc', 'websocket', 'text'] as const;
export type ApiMode = (typeof API_MODES)[number];

/** The widget's names of the same modes (its `mode` attribute and events), in the same order. */
export const MODES = ['hands-free', 'push-to-talk', 'text'] as const;
export type Mode = (typeof MODES)[number];

export const API_MODE_TO_MODE = {
  webrtc: 'hands-free',
  websocket: 'push-to-talk',
  text: 'text',
} as const satisfies Record<ApiMode, Mode>;
export const MODE_TO_API_MODE = {
  'hands-free': 'webrtc',
  'push-to-talk': 'websocket',
  text: 'text',
} as const satisfies Record<Mode, ApiMode>;
