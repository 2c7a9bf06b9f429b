import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { Tenant } from '../tenants/model.ts';
import { utcMonth, type UsageKind } from './month.ts';

const LIMIT_FIELD = {
  voice_session: 'voiceSessionsPerMonth',
  avatar_session: 'avatarSessionsPerMonth',
  generation: 'generationsPerMonth',
  tts_character: 'ttsCharactersPerMonth',
} as const satisfies Record<UsageKind, keyof Tenant['limits']>;

const NOUN: Record<UsageKind, string> = {
  voice_session: 'voice session',
  avatar_session: 'avatar session',
  generation: 'generation',
  tts_character: 'text-to-speech character',
};

export const limitsStub = (env: Env, tenantId: string) => env.LIMITS.get(env.LIMITS.idFromName(tenantId));

/** A unit taken from the tenant's monthly allowance; give it back when the work it paid for failed. */
export interface Lease {
  release(): Promise<void>;
}

/** Consumes `amount` units (one by default) atomically, all or none, or throws 402 quota_exceeded. */
export async function consumeQuota(env: Env, tenant: Tenant, kind: UsageKind, amount = 1): Promise<Lease> {
  const stub = limitsStub(env, tenant.id);
  const month = utcMonth();
  const result = await stub.consume(kind, tenant.limits[LIMIT_FIELD[kind]], month, amount);
  if (!result.granted) {
    const left = Math.max(0, result.limit - result.used);
    const tail = amount > 1 ? ` (${left} left, ${amount} asked for)` : '';
    throw new ApiError(
      402,
      'quota_exceeded',
      `This site has used all ${result.limit} ${NOUN[kind]}s for ${month}${tail}`,
    );
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await stub.release(kind, month, amount);
    },
  };
}

/** Gives back one unit a past request took in `month` (the lease itself is long gone: a later request decided). */
export async function releaseUnit(env: Env, tenantId: string, kind: UsageKind, month: string): Promise<void> {
  await limitsStub(env, tenantId).release(kind, month);
}

/** Runs work paid for by one unit; the unit goes back when the work throws. */
export async function withQuota<T>(env: Env, tenant: Tenant, kind: UsageKind, work: () => Promise<T>): Promise<T> {
  const lease = await consumeQuota(env, tenant, kind);
  try {
    return await work();
  } catch (e) {
    await lease.release();
    throw e;
  }
}
