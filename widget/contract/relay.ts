// Part of the contract between the Worker and the widget (widget/contract/): plain values, no Worker or DOM imports.

/**
 * The relay's close codes towards the browser (README, "Relay"). The close reason starts with one of the code's
 * reasons, then ": " and a sentence; an `error` event with that reason as its `code` precedes the close. The widget
 * reports the same reason word as the `code` of `voice-buddy-error`.
 */
export const RELAY_CLOSE = {
  internal: { code: 4000, reasons: ['relay_error'] },
  duration: { code: 4001, reasons: ['session_max_seconds'] },
  bytes: { code: 4002, reasons: ['session_max_bytes'] },
  rate: { code: 4003, reasons: ['events_per_second'] },
  upstream: {
    code: 4004,
    reasons: ['upstream_closed', 'upstream_refused', 'upstream_unreachable', 'upstream_timeout'],
  },
  badEvent: { code: 4005, reasons: ['bad_event'] },
  frameTooLarge: { code: 4006, reasons: ['frame_too_large'] },
} as const;

export type RelayClose = keyof typeof RELAY_CLOSE;
export type RelayCloseReason = (typeof RELAY_CLOSE)[RelayClose]['reasons'][number];

/** A normal end (either side hung up). */
export const CLOSE_NORMAL = 1000;

const BY_CODE = new Map<number, (typeof RELAY_CLOSE)[RelayClose]>(Object.values(RELAY_CLOSE).map((c) => [c.code, c]));
const REASONS = new Set<string>(Object.values(RELAY_CLOSE).flatMap((c) => c.reasons));

/** The close reason the relay sends: `"<reason>: <sentence>"`. */
export const closeReason = (reason: RelayCloseReason, sentence: string): string => `${reason}: ${sentence}`;

/**
 * Reads a close the relay sent: the reason word when the code is one of the relay's and the reason names one of that
 * code's reasons, else the code's first reason; null for a code that is not the relay's.
 */
export function readRelayClose(code: number, reason: string): { close: RelayClose; reason: RelayCloseReason } | null {
  const known = BY_CODE.get(code);
  if (!known) return null;
  const word = reason.split(':', 1)[0]!.trim();
  const close = (Object.keys(RELAY_CLOSE) as RelayClose[]).find((k) => RELAY_CLOSE[k].code === code)!;
  const reasons: readonly string[] = known.reasons;
  return { close, reason: (reasons.includes(word) ? word : known.reasons[0]) as RelayCloseReason };
}

/** Whether an `error` event's code is one the relay sends just before it closes the socket. */
export const announcesRelayClose = (code: string): boolean => REASONS.has(code);
