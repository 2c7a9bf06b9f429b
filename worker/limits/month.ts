/** Calendar month in UTC, as counters are kept: "2026-11". */
export function utcMonth(at: Date = new Date()): string {
  return at.toISOString().slice(0, 7);
}

export const USAGE_KINDS = ['voice_session', 'avatar_session', 'generation', 'tts_character'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];
