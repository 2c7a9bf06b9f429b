// What a flag write does, as pure functions over the flag set: no D1, no clock, no randomness of their own (the
// store passes `now` and a salt maker). worker/flags/store.ts reads the set, plans with these and commits.
import type { FlagChange, FlagHistoryEntry } from '../api-types.ts';
import { ApiError } from '../errors.ts';
import { findCycle, type FlagConfig } from './evaluate.ts';

export type FlagSet = ReadonlyMap<string, FlagConfig>;

/** One flag's move from `before` to `after` (null: absent). */
export interface Step {
  key: string;
  before: FlagConfig | null;
  after: FlagConfig | null;
}

export interface PlanContext {
  actor: string;
  /** ISO time of the write. */
  now: string;
  /** A new flag's salt. */
  newSalt: () => string;
}

/** Rounds to two decimals, so 12.5 and 12.50000000001 are the same stored rollout. */
export const normaliseRollout = (r: number) => Math.round(r * 100) / 100;

const configOf = (f: FlagConfig | null) =>
  f && {
    key: f.key,
    description: f.description,
    enabled: f.enabled,
    rollout: f.rollout,
    tenants: f.tenants,
    prerequisites: f.prerequisites,
    salt: f.salt,
  };

/** Whether a step changes anything but who touched the flag and when. */
export const changesConfig = (s: Step) => JSON.stringify(configOf(s.before)) !== JSON.stringify(configOf(s.after));

type Problem = { path: string; message: string };
const invalid = (problems: Problem[]) =>
  new ApiError(400, 'invalid_request', `Invalid ${problems[0]!.path}: ${problems[0]!.message}`, problems);

/** A bulk change, validated as a whole against the current flags: the steps of all of it, or a 400. */
export function planChanges(current: FlagSet, changes: readonly FlagChange[], ctx: PlanContext): Step[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const steps: Step[] = [];
  changes.forEach((ch, i) => {
    const at = `changes.${i}`;
    if (seen.has(ch.key))
      problems.push({ path: `${at}.key`, message: `"${ch.key}" appears more than once in this change` });
    seen.add(ch.key);
    const existing = current.get(ch.key) ?? null;
    if (ch.create) {
      if (existing)
        problems.push({ path: `${at}.key`, message: `flag "${ch.key}" already exists; drop create to change it` });
      if (ch.description === undefined)
        problems.push({ path: `${at}.description`, message: 'a new flag needs a description' });
      const after: FlagConfig = {
        key: ch.key,
        description: ch.description ?? '',
        enabled: ch.enabled ?? false,
        rollout: normaliseRollout(ch.rollout ?? 0),
        tenants: ch.tenants ?? [],
        prerequisites: ch.prerequisites ?? [],
        salt: ctx.newSalt(),
        updatedAt: ctx.now,
        updatedBy: ctx.actor,
      };
      steps.push({ key: ch.key, before: existing, after });
      return;
    }
    if (!existing) {
      problems.push({
        path: `${at}.key`,
        message: `unknown flag "${ch.key}" (send create: true with a description to add it)`,
      });
      return;
    }
    const after: FlagConfig = {
      ...existing,
      ...(ch.description === undefined ? {} : { description: ch.description }),
      ...(ch.enabled === undefined ? {} : { enabled: ch.enabled }),
      ...(ch.rollout === undefined ? {} : { rollout: normaliseRollout(ch.rollout) }),
      ...(ch.tenants === undefined ? {} : { tenants: ch.tenants }),
      ...(ch.prerequisites === undefined ? {} : { prerequisites: ch.prerequisites }),
      updatedAt: ctx.now,
      updatedBy: ctx.actor,
    };
    steps.push({ key: ch.key, before: existing, after });
  });
  // Prerequisites are checked against the flags as they will be, so one bulk may add a flag and depend on it.
  const next = applySteps(current, steps);
  changes.forEach((ch, i) => {
    for (const pre of ch.prerequisites ?? []) {
      if (!next.has(pre)) problems.push({ path: `changes.${i}.prerequisites`, message: `unknown flag "${pre}"` });
    }
  });
  if (problems.length > 0) throw invalid(problems);
  return steps;
}

/**
 * Puts a flag back to the `before` of one history entry: its whole configuration, exactly (only updatedAt/By say
 * who restored it and when). An entry that created the flag has no `before`: rolling it back removes the flag,
 * unless another flag lists it as a prerequisite (409).
 */
export function planRollback(current: FlagSet, entry: FlagHistoryEntry, ctx: Omit<PlanContext, 'newSalt'>): Step[] {
  const existing = current.get(entry.key) ?? null;
  if (entry.before)
    return [{ key: entry.key, before: existing, after: { ...entry.before, updatedAt: ctx.now, updatedBy: ctx.actor } }];
  const dependents = [...current.values()].filter((f) => f.prerequisites.includes(entry.key)).map((f) => f.key);
  if (dependents.length > 0) {
    throw new ApiError(
      409,
      'conflict',
      `Cannot remove "${entry.key}": ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it`,
      {
        dependents,
      },
    );
  }
  return [{ key: entry.key, before: existing, after: null }];
}

/** The set after the steps. */
export function applySteps(current: FlagSet, steps: readonly Step[]): Map<string, FlagConfig> {
  const next = new Map(current);
  for (const s of steps) {
    if (s.after) next.set(s.key, s.after);
    else next.delete(s.key);
  }
  return next;
}

/** The set as it would be after a write: every prerequisite must exist and none may lead back to its flag. */
export function validateSet(next: FlagSet): void {
  const dangling = [...next.values()].flatMap((f) =>
    f.prerequisites
      .filter((p) => !next.has(p))
      .map((p) => ({ path: `${f.key}.prerequisites`, message: `unknown flag "${p}"` })),
  );
  if (dangling.length > 0) throw invalid(dangling);
  const cycle = findCycle([...next.values()]);
  if (cycle)
    throw new ApiError(400, 'prerequisite_cycle', `Prerequisites would form a cycle: ${cycle.join(' -> ')}`, { cycle });
}
