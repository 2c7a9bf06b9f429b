import { Hono } from 'hono';
import { avatarUsageByTenant } from '../../avatar/store.ts';
import type { UsageReport } from '../../api-types.ts';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { limitsStub } from '../../limits/quota.ts';
import { utcMonth } from '../../limits/month.ts';
import { getTenant, listTenants } from '../../tenants/store.ts';
import { query } from '../../validator.ts';
import { UsageQuery } from './schemas.ts';

export const adminUsage = new Hono<AppEnv>().get('/', query(UsageQuery), async (c) => {
  const query = c.req.valid('query');
  const month = query.month ?? utcMonth();
  const tenants = query.tenant ? [await getTenant(c.env, query.tenant)] : await listTenants(c.env);
  if (tenants[0] === null) throw new ApiError(404, 'not_found', `Tenant "${query.tenant}" not found`);
  const avatar = await avatarUsageByTenant(c.env, month, query.tenant);
  const rows = await Promise.all(
    tenants.map(async (t) => {
      const used = await limitsStub(c.env, t!.id).usage(month);
      return {
        tenant: t!.id,
        month,
        voiceSessions: { used: used.voice_session, limit: t!.limits.voiceSessionsPerMonth },
        avatarSessions: { used: used.avatar_session, limit: t!.limits.avatarSessionsPerMonth },
        // Ended sessions only, per started minute; the cost is an estimate at the tenant's configured rate.
        avatarMinutes: avatar.get(t!.id)?.minutes ?? 0,
        avatarCostUsd: avatar.get(t!.id)?.costUsd ?? 0,
        generations: { used: used.generation, limit: t!.limits.generationsPerMonth },
        ttsCharacters: { used: used.tts_character, limit: t!.limits.ttsCharactersPerMonth },
      };
    }),
  );
  return c.json({ month, usage: rows } satisfies UsageReport);
});
