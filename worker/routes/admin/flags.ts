import { Hono } from 'hono';
import type { FlagList, FlagWriteResult, HistoryPage } from '../../api-types.ts';
import type { AppEnv } from '../../env.ts';
import { applyFlagChanges, flagHistory, readFlags, rollbackFlag } from '../../flags/store.ts';
import { adminActor } from '../../middleware/admin-auth.ts';
import { json, query } from '../../validator.ts';
import { BulkSchema, HistoryQuery, RollbackSchema } from './schemas.ts';

export const adminFlags = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ flags: await readFlags(c.env) } satisfies FlagList))
  .post('/bulk', json(BulkSchema), async (c) => {
    const { changes, note } = c.req.valid('json');
    const result = await applyFlagChanges(c.env, changes, { actor: adminActor(c.req.raw), note });
    return c.json(result satisfies FlagWriteResult);
  })
  .get('/history', query(HistoryQuery), async (c) => {
    const q = c.req.valid('query');
    const page = await flagHistory(c.env, { key: q.key, limit: q.limit ?? 20, before: q.cursor });
    return c.json(page satisfies HistoryPage);
  })
  .post('/rollback', json(RollbackSchema), async (c) => {
    const { historyId, note } = c.req.valid('json');
    const meta = { actor: adminActor(c.req.raw), note: note ?? `Rollback of #${historyId}` };
    return c.json((await rollbackFlag(c.env, historyId, meta)) satisfies FlagWriteResult);
  });
