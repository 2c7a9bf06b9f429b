import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  evaluateFlag,
  evaluateFlags,
  findCycle,
  murmur3,
  type FlagConfig,
} from '../../worker/flags/evaluate.ts';
import { flag } from '../fixtures/flags.ts';

const N = 100_000;
const ids = Array.from({ length: N }, (_, i) => `visitor-${i.toString(36)}-${(i * 7919) % 1000}`);

/** Which ids get the flag, as a bitmap. */
function onSet(f: FlagConfig, tenantId = 'tenant-a'): Uint8Array {
  const flags = [f];
  const out = new Uint8Array(N);
  for (let i = 0; i < N; i++) out[i] = evaluateFlag(flags, f.key, { tenantId, uid: ids[i] }).enabled ? 1 : 0;
  return out;
}
const percent = (bits: Uint8Array) => (bits.reduce((a, b) => a + b, 0) / N) * 100;

describe('murmur3 (x86_32, UTF-8)', () => {
  it('matches the reference vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('', 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3('hello')).toBe(0x248bfa47);
    expect(murmur3('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(murmur3('abc')).toBe(3017643002);
    // Non-ASCII is hashed as UTF-8 bytes (checked against an independent implementation).
    expect(murmur3('héllo wörld ✓')).toBe(238508760);
  });

  it('pins buckets, so an id lands in the same bucket on every runtime and every release', () => {
    expect(bucketOf('4de2c66ebc9cc254', 'visitor-1')).toBe(murmur3('4de2c66ebc9cc254:visitor-1') % 10_000);
    expect(bucketOf('salt', 'user-1')).toBe(murmur3('salt:user-1') % 10_000);
    expect(murmur3('salt:user-1')).toBe(284266604);
    expect(bucketOf('salt', 'user-1')).toBe(6604);
  });
});

describe('bucketing over 100,000 ids', () => {
  it('turns on each rollout within 0.5 points of its target', () => {
    const seen: Record<number, number> = {};
    for (const rollout of [1, 5, 10, 25, 33.33, 50, 75, 100]) {
      const got = percent(onSet(flag('split', { rollout })));
      seen[rollout] = got;
      expect(Math.abs(got - rollout), `rollout ${rollout}: ${got}`).toBeLessThanOrEqual(0.5);
    }
    expect(seen[100]).toBe(100);
  });

  it('never turns an id off when the rollout rises', () => {
    const ladder = [0, 0.01, 1, 5, 10, 25, 33.33, 50, 75, 99.99, 100];
    let previous = onSet(flag('ladder', { rollout: 0 }));
    expect(percent(previous)).toBe(0);
    for (const rollout of ladder.slice(1)) {
      const current = onSet(flag('ladder', { rollout }));
      let lost = 0;
      for (let i = 0; i < N; i++) if (previous[i] && !current[i]) lost++;
      expect(lost, `ids turned off going up to ${rollout}`).toBe(0);
      previous = current;
    }
  });

  it('gives the same id the same answer every time, in any flag order, one flag or all', () => {
    const a = flag('a', { rollout: 37.5 });
    const b = flag('b', { rollout: 62.25, salt: 'other' });
    for (const uid of ids.slice(0, 2000)) {
      const unit = { tenantId: 't', uid };
      const all = evaluateFlags([a, b], unit);
      expect(evaluateFlags([b, a], unit)).toEqual(all);
      expect(evaluateFlag([a, b], 'a', unit)).toEqual(all.a);
      expect(evaluateFlag([a], 'a', { tenantId: 'another-tenant', uid })).toEqual(all.a); // the uid decides, not the tenant
      expect(all.a!.enabled).toBe(bucketOf(a.salt, uid) < 3750);
    }
  });

  it('buckets different salts independently', () => {
    const check = (p: number, q: number) => {
      const x = onSet(flag('x', { rollout: p, salt: '4de2c66ebc9cc254' }));
      const y = onSet(flag('y', { rollout: q, salt: '355f1abef87a795f' }));
      let both = 0;
      for (let i = 0; i < N; i++) both += x[i]! & y[i]!;
      const px = percent(x) / 100;
      const py = percent(y) / 100;
      const pxy = both / N;
      // Independence predicts P(x and y) = P(x) P(y); phi is the correlation of the two on-sets.
      expect(Math.abs(pxy - px * py), `both on at ${p}/${q}`).toBeLessThan(0.006);
      const phi = (pxy - px * py) / Math.sqrt(px * (1 - px) * py * (1 - py));
      expect(Math.abs(phi), `phi at ${p}/${q}`).toBeLessThan(0.02);
    };
    check(50, 50);
    check(10, 30);
    check(25, 75);
  });

  it('shares buckets between flags that share a salt (the independence check can fail)', () => {
    const x = onSet(flag('x', { rollout: 30, salt: 'same' }));
    const y = onSet(flag('y', { rollout: 30, salt: 'same' }));
    expect(x).toEqual(y);
  });
});

describe('rules and reasons', () => {
  const unit = { tenantId: 'tenant-a', uid: 'visitor-1' };

  it('DISABLED beats everything, including the allowlist and 100%', () => {
    const f = flag('f', { enabled: false, tenants: ['tenant-a'], rollout: 100 });
    expect(evaluateFlag([f], 'f', unit)).toEqual({ enabled: false, reason: 'DISABLED' });
    expect(evaluateFlag([], 'nope', unit)).toEqual({ enabled: false, reason: 'DISABLED' });
  });

  it('TARGET_MATCH turns an allowlisted tenant on at any rollout, every uid of it', () => {
    const f = flag('f', { rollout: 0, tenants: ['tenant-a'] });
    expect(evaluateFlag([f], 'f', unit)).toEqual({ enabled: true, reason: 'TARGET_MATCH' });
    expect(evaluateFlag([f], 'f', { tenantId: 'tenant-a' })).toEqual({ enabled: true, reason: 'TARGET_MATCH' });
    expect(evaluateFlag([f], 'f', { tenantId: 'tenant-b', uid: 'visitor-1' })).toEqual({
      enabled: false,
      reason: 'DEFAULT',
    });
  });

  it('DEFAULT at 100% (on, with or without a uid) and at 0% (off); SPLIT in between', () => {
    const full = flag('f', { rollout: 100 });
    for (const u of [unit, { tenantId: 'x' }, { tenantId: 'x', uid: null }, { tenantId: 'x', uid: '' }]) {
      expect(evaluateFlag([full], 'f', u)).toEqual({ enabled: true, reason: 'DEFAULT' });
    }
    expect(evaluateFlag([flag('f', { rollout: 0 })], 'f', unit)).toEqual({ enabled: false, reason: 'DEFAULT' });
    expect(evaluateFlag([flag('f', { rollout: 50 })], 'f', unit).reason).toBe('SPLIT');
    expect(evaluateFlag([flag('f', { rollout: 99.99 })], 'f', unit).reason).toBe('SPLIT');
  });

  it('sticks to the tenant id when there is no uid', () => {
    const f = flag('f', { rollout: 50 });
    for (let i = 0; i < 200; i++) {
      const tenantId = `tenant-${i}`;
      const expected = bucketOf(f.salt, tenantId) < 5000;
      expect(evaluateFlag([f], 'f', { tenantId }).enabled).toBe(expected);
      expect(evaluateFlag([f], 'f', { tenantId, uid: null }).enabled).toBe(expected);
    }
  });

  it('0.01% is exactly bucket 0', () => {
    const f = flag('f', { rollout: 0.01 });
    for (const uid of ids.slice(0, 20_000)) {
      expect(evaluateFlag([f], 'f', { tenantId: 't', uid }).enabled).toBe(bucketOf(f.salt, uid) === 0);
    }
  });

  it('needs prerequisites on for the same unit, checked before the allowlist', () => {
    const base = flag('base', { rollout: 50 });
    const child = flag('child', { prerequisites: ['base'] });
    let on = 0;
    for (const uid of ids.slice(0, 10_000)) {
      const r = evaluateFlags([base, child], { tenantId: 't', uid });
      if (r.base!.enabled) {
        on++;
        expect(r.child).toEqual({ enabled: true, reason: 'DEFAULT' });
      } else {
        expect(r.child).toEqual({ enabled: false, reason: 'PREREQUISITE_FAILED' });
      }
    }
    expect(on).toBeGreaterThan(4500);
    expect(on).toBeLessThan(5500);

    const off = flag('base', { enabled: false });
    expect(evaluateFlag([off, child], 'child', unit)).toEqual({ enabled: false, reason: 'PREREQUISITE_FAILED' });
    const allowlisted = flag('child', { prerequisites: ['base'], tenants: ['tenant-a'] });
    expect(evaluateFlag([off, allowlisted], 'child', unit)).toEqual({ enabled: false, reason: 'PREREQUISITE_FAILED' });
    // A missing prerequisite fails; a chain is followed all the way.
    expect(evaluateFlag([flag('c', { prerequisites: ['gone'] })], 'c', unit).reason).toBe('PREREQUISITE_FAILED');
    const chain = [
      flag('a', { prerequisites: ['b'] }),
      flag('b', { prerequisites: ['c'] }),
      flag('c', { enabled: false }),
    ];
    expect(evaluateFlags(chain, unit)).toEqual({
      a: { enabled: false, reason: 'PREREQUISITE_FAILED' },
      b: { enabled: false, reason: 'PREREQUISITE_FAILED' },
      c: { enabled: false, reason: 'DISABLED' },
    });
  });

  it('does not recurse forever on a cycle that slipped into storage', () => {
    const looped = [flag('a', { prerequisites: ['b'] }), flag('b', { prerequisites: ['a'] })];
    expect(evaluateFlags(looped, unit)).toEqual({
      a: { enabled: false, reason: 'PREREQUISITE_FAILED' },
      b: { enabled: false, reason: 'PREREQUISITE_FAILED' },
    });
  });
});

describe('findCycle', () => {
  const f = (key: string, prerequisites: string[]) => ({ key, prerequisites });
  it('finds cycles and their path', () => {
    expect(findCycle([f('a', ['b']), f('b', ['c']), f('c', [])])).toBeNull();
    expect(findCycle([f('a', ['b']), f('b', ['c']), f('c', ['a'])])).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle([f('a', ['a'])])).toEqual(['a', 'a']);
    expect(findCycle([f('x', ['a']), f('a', ['b']), f('b', ['a'])])).toEqual(['a', 'b', 'a']);
    // A diamond is not a cycle; unknown keys are someone else's error.
    expect(findCycle([f('a', ['b', 'c']), f('b', ['d']), f('c', ['d']), f('d', ['zzz'])])).toBeNull();
  });
});
