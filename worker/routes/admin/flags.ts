import { Hono } from 'hono';
import { parseJson, validate } from '../../body.ts';
import type { AppEnv } from '../../env.ts';
import { applyFlagChanges, flagHistory, readFlags, rollbackFlag } from '../../flags/store.ts';
import { adminActor } from '../../middleware/admin-auth.ts';
import { BulkSchema, HistoryQuery, RollbackSchema } from './schemas.ts';

export const adminFlags = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ flags: await readFlags(c.env) }))
  .post('/bulk', async (c) => {
    const { changes, note } = await parseJson(c, BulkSchema);
    const result = await applyFlagChanges(c.env, changes, { actor: adminActor(c.req.raw), note });
    return c.json(result);
  })
  .get('/history', async (c) => {
    const q = validate(HistoryQuery, c.req.query());
    return c.json(await flagHistory(c.env, { key: q.key, limit: q.limit ?? 20, before: q.cursor }));
  })
  .post('/rollback', async (c) => {
    const { historyId, note } = await parseJson(c, RollbackSchema);
    const result = await rollbackFlag(c.env, historyId, { actor: adminActor(c.req.raw), note: note ?? `Rollback of #${historyId}` });
    return c.json(result);
  });
