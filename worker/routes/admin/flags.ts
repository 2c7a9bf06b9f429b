import { Hono } from 'hono';
import * as v from 'valibot';
import { parseJson, validate } from '../../body.ts';
import type { AppEnv } from '../../env.ts';
import { applyFlagChanges, flagHistory, readFlags, rollbackFlag } from '../../flags/store.ts';
import { adminActor } from '../../middleware/admin-auth.ts';

export const FlagKeySchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/, 'must be lower-case words joined by . _ or -, e.g. voice.webrtc'),
  v.maxLength(64),
);

const unique = (a: string[]) => new Set(a).size === a.length;

const RolloutSchema = v.pipe(
  v.number(),
  v.minValue(0),
  v.maxValue(100),
  // 10,000 buckets: a finer percentage would be rounded away silently.
  v.check((r) => Math.abs(r * 100 - Math.round(r * 100)) < 1e-6, 'must have at most two decimals'),
);

const ChangeSchema = v.pipe(
  v.strictObject({
    key: FlagKeySchema,
    create: v.optional(v.boolean()),
    description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500))),
    enabled: v.optional(v.boolean()),
    rollout: v.optional(RolloutSchema),
    tenants: v.optional(
      v.pipe(
        v.array(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a tenant id'))),
        v.maxLength(1000),
        v.check(unique, 'must not repeat tenants'),
      ),
    ),
    prerequisites: v.optional(v.pipe(v.array(FlagKeySchema), v.maxLength(20), v.check(unique, 'must not repeat flags'))),
  }),
  v.check((ch) => ch.create === true || Object.keys(ch).some((k) => k !== 'key' && k !== 'create'), 'must change at least one field'),
);

const NoteSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'must say why'), v.maxLength(500));

const BulkSchema = v.strictObject({
  changes: v.pipe(v.array(ChangeSchema), v.minLength(1), v.maxLength(100)),
  note: NoteSchema,
});

const RollbackSchema = v.strictObject({
  historyId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  note: v.optional(NoteSchema),
});

const HistoryQuery = v.strictObject({
  key: v.optional(FlagKeySchema),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number from 1 to 100'), v.transform(Number), v.minValue(1), v.maxValue(100))),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be a cursor from a previous page'), v.transform(Number))),
});

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
