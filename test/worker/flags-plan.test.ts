// The flag writes' planning as pure functions: no D1, no clock. The store's D1 batch and its races are tested in
// flags-admin.test.ts.
import { describe, expect, it } from 'vitest';
import type { FlagConfig } from '../../worker/flags/evaluate.ts';
import { flag } from '../fixtures/flags.ts';
import { applySteps, changesConfig, planChanges, planRollback, validateSet } from '../../worker/flags/plan.ts';

const set = (...flags: FlagConfig[]) => new Map(flags.map((f) => [f.key, f]));
const ctx = { actor: 'ops', now: '2026-12-02T10:00:00.000Z', newSalt: () => 'fresh-salt' };

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e as { status: number; code: string; details: unknown };
  }
  throw new Error('expected a refusal');
}

describe('flag write planning (pure)', () => {
  it('changes only what a change names, rounds rollouts, and stamps actor and time', () => {
    const [step] = planChanges(set(flag('tts')), [{ key: 'tts', rollout: 12.3456 }], ctx);
    expect(step).toEqual({
      key: 'tts',
      before: flag('tts'),
      after: { ...flag('tts'), rollout: 12.35, updatedAt: ctx.now, updatedBy: 'ops' },
    });
    expect(changesConfig(step!)).toBe(true);
    const touched = planChanges(set(flag('tts')), [{ key: 'tts', rollout: 100 }], ctx);
    expect(changesConfig(touched[0]!), 'a write that changes nothing but the stamp is no change').toBe(false);
  });

  it('creates a flag off, at 0 %, with a new salt, and lets the same bulk depend on it', () => {
    const steps = planChanges(
      set(flag('avatar')),
      [
        { key: 'voice.new', create: true, description: 'New voice' },
        { key: 'avatar', prerequisites: ['voice.new'] },
      ],
      ctx,
    );
    expect(steps[0]!.after).toMatchObject({
      key: 'voice.new',
      enabled: false,
      rollout: 0,
      salt: 'fresh-salt',
      tenants: [],
      prerequisites: [],
    });
    expect(applySteps(set(flag('avatar')), steps).get('avatar')!.prerequisites).toEqual(['voice.new']);
  });

  it('refuses the whole bulk with every problem: repeats, unknown flags and prerequisites, a create without description', () => {
    const e = refusal(() =>
      planChanges(
        set(flag('tts'), flag('avatar')),
        [
          { key: 'tts', enabled: false },
          { key: 'tts', rollout: 5 },
          { key: 'nope', enabled: true },
          { key: 'avatar', prerequisites: ['missing'] },
          { key: 'tts2', create: true },
          { key: 'avatar', create: true, description: 'again' },
        ],
        ctx,
      ),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_request');
    expect((e.details as Array<{ path: string }>).map((d) => d.path)).toEqual([
      'changes.1.key',
      'changes.2.key',
      'changes.4.description',
      'changes.5.key',
      'changes.5.key',
      'changes.3.prerequisites',
    ]);
  });

  it('finds prerequisite cycles and dangling prerequisites in the set as it would be', () => {
    const next = applySteps(
      set(flag('a', { prerequisites: ['b'] }), flag('b')),
      planChanges(set(flag('a', { prerequisites: ['b'] }), flag('b')), [{ key: 'b', prerequisites: ['a'] }], ctx),
    );
    const cycle = refusal(() => validateSet(next));
    expect(cycle.code).toBe('prerequisite_cycle');
    expect(cycle.details).toEqual({ cycle: expect.arrayContaining(['a', 'b']) });
    expect(refusal(() => validateSet(set(flag('a', { prerequisites: ['gone'] })))).code).toBe('invalid_request');
    expect(() => validateSet(set(flag('a', { prerequisites: ['b'] }), flag('b')))).not.toThrow();
  });

  it('rolls back to exactly the configuration before an entry, or removes a created flag unless others depend on it', () => {
    const before = flag('tts', { rollout: 25, tenants: ['studio'] });
    const now = flag('tts', { rollout: 80 });
    const entry = {
      id: 7,
      key: 'tts',
      batch: 'b',
      actor: 'x',
      at: 'then',
      before,
      after: now,
      note: '',
      rollbackOf: null,
    };
    expect(planRollback(set(now), entry, ctx)).toEqual([
      { key: 'tts', before: now, after: { ...before, updatedAt: ctx.now, updatedBy: 'ops' } },
    ]);

    const created = { ...entry, key: 'new', before: null, after: flag('new') };
    expect(planRollback(set(flag('new')), created, ctx)).toEqual([{ key: 'new', before: flag('new'), after: null }]);
    const blocked = refusal(() =>
      planRollback(set(flag('new'), flag('uses', { prerequisites: ['new'] })), created, ctx),
    );
    expect([blocked.status, blocked.code, blocked.details]).toEqual([409, 'conflict', { dependents: ['uses'] }]);
  });
});
