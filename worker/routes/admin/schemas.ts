// The admin API's request schemas (flags and usage; the tenants' live in worker/tenants/model.ts). Apart from the
// routes, which pull in the D1 stores and the Worker's env, so that the admin console's fake API
// (test/widget/fakes/admin-api.ts) validates with these very schemas in the browser and its messages cannot drift.
import * as v from 'valibot';

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
    prerequisites: v.optional(
      v.pipe(v.array(FlagKeySchema), v.maxLength(20), v.check(unique, 'must not repeat flags')),
    ),
  }),
  v.check(
    (ch) => ch.create === true || Object.keys(ch).some((k) => k !== 'key' && k !== 'create'),
    'must change at least one field',
  ),
);

const NoteSchema = v.pipe(v.string(), v.trim(), v.minLength(1, 'must say why'), v.maxLength(500));

export const BulkSchema = v.strictObject({
  changes: v.pipe(v.array(ChangeSchema), v.minLength(1), v.maxLength(100)),
  note: NoteSchema,
});

export const RollbackSchema = v.strictObject({
  historyId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  note: v.optional(NoteSchema),
});

export const HistoryQuery = v.strictObject({
  key: v.optional(FlagKeySchema),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a number from 1 to 100'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
  ),
  cursor: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be a cursor from a previous page'), v.transform(Number)),
  ),
});

export const UsageQuery = v.strictObject({
  tenant: v.optional(v.pipe(v.string(), v.maxLength(63))),
  month: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'))),
});
