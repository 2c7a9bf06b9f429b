import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { Tenant } from '../tenants/model.ts';
import { utcMonth, type UsageKind } from './month.ts';

const LIMIT_FIELD = {
  voice_session: 'voiceSessionsPerMonth',
  avatar_session: 'avatarSessionsPerMonth',
  generation: 'generationsPerMonth',
} as const satisfies Record<UsageKind, keyof Tenant['limits']>;

const NOUN: Record<UsageKind, string> = { voice_session: 'voice session', avatar_session: 'avatar session', generation: 'generation' };

export const limitsStub = (env: Env, tenantId: string) => env.LIMITS.get(env.LIMITS.idFromName(tenantId));

/** A unit taken from the tenant's monthly allowance; give it back when the work it paid for failed. */
export interface Lease {
  release(): Promise<void>;
}

/** Consumes one unit atomically or throws 402 quota_exceeded. */
export async function consumeQuota(env: Env, tenant: Tenant, kind: UsageKind): Promise<Lease> {
  const stub = limitsStub(env, tenant.id);
  const month = utcMonth();
  const result = await stub.consume(kind, tenant.limits[LIMIT_FIELD[kind]], month);
  if (!result.granted) {
    throw new ApiError(402, 'quota_exceeded', `This site has used all ${result.limit} ${NOUN[kind]}s for ${month}`);
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await stub.release(kind, month);
    },
  };
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
