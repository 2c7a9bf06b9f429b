// The admin API's request schemas (flags, usage, analytics; the tenants' live in worker/tenants/model.ts). Apart
// from the routes, which pull in the D1 stores and the Worker's env, so that the admin console's fake API
// (test/widget/fakes/admin-api.ts) validates with these very schemas in the browser and its messages cannot drift.
import * as v from 'valibot';

export const FlagKeySchema = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/, 'must be lower-case words joined by . _ or -, e.g. voice.webrtc'),
  v.maxLength(64),
);

const unique = (a: string[]) => new Set(a).size === a.length;

export const TenantIdSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a tenant id'));

const RolloutSchema = v.pipe(
  v.number(),
  v.minValue(0),
  v.maxValue(100),
  // 10,000 buckets: a finer percentage would be rounded away silently.
  v.check((r) => Math.abs(r * 100 - Math.round(r * 100)) < 1e-6, 'must have at most two decimals'),
);

export const ChangeSchema = v.pipe(
  v.strictObject({
    key: FlagKeySchema,
    create: v.optional(v.boolean()),
    description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500))),
    enabled: v.optional(v.boolean()),
    rollout: v.optional(RolloutSchema),
    tenants: v.optional(v.pipe(v.array(TenantIdSchema), v.maxLength(1000), v.check(unique, 'must not repeat tenants'))),
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

/** A calendar day in UTC, YYYY-MM-DD, that exists (no 2026-02-30). */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return DATE.test(d) && Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
};
export const DateSchema = v.pipe(
  v.string('must be a date YYYY-MM-DD'),
  v.regex(DATE, 'must be a date YYYY-MM-DD'),
  // Only for the YYYY-MM-DD shape: a malformed one has its one problem above.
  v.check((d) => !DATE.test(d) || realDate(d), 'must be a real calendar date'),
);

/** The longest range one analytics request covers, in days, both ends included: a quarter. */
export const MAX_ANALYTICS_DAYS = 92;

const DAY_MS = 86_400_000;
const dayCount = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
const bothReal = (q: { from: string; to: string }) => realDate(q.from) && realDate(q.to);

/** GET /admin/analytics: `tenant` absent means all tenants. */
export const AnalyticsQuery = v.pipe(
  v.strictObject({
    tenant: v.optional(TenantIdSchema),
    from: DateSchema,
    to: DateSchema,
  }),
  // valibot runs these even when a date failed its regex (the value is still a string): only real dates compare.
  v.forward(
    v.partialCheck([['from'], ['to']], (q) => !bothReal(q) || q.from <= q.to, 'must not be before from'),
    ['to'],
  ),
  v.forward(
    v.partialCheck(
      [['from'], ['to']],
      (q) => !bothReal(q) || q.from > q.to || dayCount(q.from, q.to) <= MAX_ANALYTICS_DAYS,
      `must be at most ${MAX_ANALYTICS_DAYS - 1} days after from (a range covers at most ${MAX_ANALYTICS_DAYS} days)`,
    ),
    ['to'],
  ),
);

/** GET /admin/report */
export const ReportQuery = v.strictObject({ date: DateSchema });

/** GET /admin/alerts: `open=1` only the episodes still open, `open=0` only the closed ones. */
export const AlertsQuery = v.strictObject({
  tenant: v.optional(TenantIdSchema),
  open: v.optional(
    v.pipe(
      v.picklist(['0', '1'], 'must be 1 or 0'),
      v.transform((o) => o === '1'),
    ),
  ),
});
