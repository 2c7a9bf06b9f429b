// Flag evaluation: pure and synchronous, shared by the Worker (bootstrap, enforcement) and the tests and benchmarks.
// No I/O and no imports with side effects, so the same answer comes out wherever it runs.
import type { FlagResult } from '../api-types.ts';

/** The product flags seeded by migration 0002. Later features add theirs here and in a migration. */
export const FLAG_KEYS = [
  'voice.webrtc',
  'voice.websocket',
  'voice.text',
  'avatar',
  'keywords.handoff',
  'tts',
] as const;
export type ProductFlagKey = (typeof FLAG_KEYS)[number];

export type FlagReason = FlagResult['reason'];
export type { FlagResult };

export interface FlagConfig {
  key: string;
  description: string;
  enabled: boolean;
  /** Percentage of units that get the flag, 0 to 100 with at most two decimals. */
  rollout: number;
  /** Tenant ids that always get the flag (when it is enabled and its prerequisites hold). */
  tenants: string[];
  /** Keys of flags that must be on for the same unit. */
  prerequisites: string[];
  /** Per-flag hash seed: fixed for the flag's life, so a unit keeps its bucket as the rollout moves. */
  salt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface FlagUnit {
  tenantId: string;
  /** The widget's user id or its random per-browser id; the tenant id stands in when absent. */
  uid?: string | null;
}

export const BUCKETS = 10_000;

const encoder = new TextEncoder();

/** MurmurHash3 x86_32 (Austin Appleby's reference), over the UTF-8 bytes of `text`. */
export function murmur3(text: string, seed = 0): number {
  const bytes = encoder.encode(text);
  const len = bytes.length;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The unit's bucket for one flag, 0 to 9,999. The salt keeps different flags' buckets independent. */
export function bucketOf(salt: string, stickinessKey: string): number {
  return murmur3(`${salt}:${stickinessKey}`) % BUCKETS;
}

export const stickinessKey = (unit: FlagUnit): string => (unit.uid ? unit.uid : unit.tenantId);

/**
 * Rules, in order:
 * 1. disabled: off (DISABLED), whatever else is set;
 * 2. a prerequisite that is off for this unit (or missing, or part of a cycle): off (PREREQUISITE_FAILED). They come
 *    before the allowlist because a feature cannot work without what it depends on, allowlisted or not;
 * 3. the unit's tenant on the allowlist: on (TARGET_MATCH);
 * 4. rollout 100: on for every unit, with or without a uid (DEFAULT); rollout 0: off for every unit (DEFAULT);
 * 5. otherwise on when bucket < rollout x 100 (SPLIT, on or off). DEFAULT at 0 and 100 is the same answer the
 *    bucket rule gives, so moving a rollout in or out of the ends never re-buckets anyone.
 */
export function evaluateFlag(flags: readonly FlagConfig[], key: string, unit: FlagUnit): FlagResult {
  return evaluateOne(indexFlags(flags), key, unit, new Map(), new Set());
}

/** Evaluates every flag for one unit; each prerequisite is evaluated once and shared. */
export function evaluateFlags(flags: readonly FlagConfig[], unit: FlagUnit): Record<string, FlagResult> {
  const byKey = indexFlags(flags);
  const memo = new Map<string, FlagResult>();
  const out: Record<string, FlagResult> = {};
  for (const flag of flags) out[flag.key] = evaluateOne(byKey, flag.key, unit, memo, new Set());
  return out;
}

function indexFlags(flags: readonly FlagConfig[]): Map<string, FlagConfig> {
  return new Map(flags.map((f) => [f.key, f]));
}

function evaluateOne(
  byKey: ReadonlyMap<string, FlagConfig>,
  key: string,
  unit: FlagUnit,
  memo: Map<string, FlagResult>,
  path: Set<string>,
): FlagResult {
  const known = memo.get(key);
  if (known) return known;
  const flag = byKey.get(key);
  // An unknown key is simply off: a widget asking about a flag this Worker does not know must not get a feature.
  if (!flag || !flag.enabled) return remember(memo, key, { enabled: false, reason: 'DISABLED' });

  if (!prerequisitesHold(byKey, flag, unit, memo, path))
    return remember(memo, key, { enabled: false, reason: 'PREREQUISITE_FAILED' });
  if (flag.tenants.includes(unit.tenantId)) return remember(memo, key, { enabled: true, reason: 'TARGET_MATCH' });
  const threshold = Math.round(flag.rollout * 100);
  if (threshold >= BUCKETS) return remember(memo, key, { enabled: true, reason: 'DEFAULT' });
  if (threshold <= 0) return remember(memo, key, { enabled: false, reason: 'DEFAULT' });
  return remember(memo, key, { enabled: bucketOf(flag.salt, stickinessKey(unit)) < threshold, reason: 'SPLIT' });
}

function prerequisitesHold(
  byKey: ReadonlyMap<string, FlagConfig>,
  flag: FlagConfig,
  unit: FlagUnit,
  memo: Map<string, FlagResult>,
  path: Set<string>,
): boolean {
  path.add(flag.key);
  try {
    // Writes refuse cycles; the path check only keeps a bad row from recursing forever.
    return flag.prerequisites.every(
      (pre) => !path.has(pre) && byKey.has(pre) && evaluateOne(byKey, pre, unit, memo, path).enabled,
    );
  } finally {
    path.delete(flag.key);
  }
}

function remember(memo: Map<string, FlagResult>, key: string, result: FlagResult): FlagResult {
  memo.set(key, result);
  return result;
}

/**
 * A prerequisite cycle among `flags`, as the list of keys that closes it (first key repeated at the end), or null.
 * Prerequisites naming unknown flags are ignored here; the writer reports them separately.
 */
export function findCycle(flags: readonly Pick<FlagConfig, 'key' | 'prerequisites'>[]): string[] | null {
  const byKey = new Map(flags.map((f) => [f.key, f.prerequisites]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | null => {
    const s = state.get(key);
    if (s === 'done') return null;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, 'visiting');
    stack.push(key);
    for (const pre of byKey.get(key) ?? []) {
      if (!byKey.has(pre)) continue;
      const cycle = visit(pre);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(key, 'done');
    return null;
  };
  for (const f of flags) {
    const cycle = visit(f.key);
    if (cycle) return cycle;
  }
  return null;
}
