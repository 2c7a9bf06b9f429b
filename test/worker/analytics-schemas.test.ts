// The analytics admin API's query schemas (worker/routes/admin/schemas.ts), shared by the Worker's routes and the
// admin console's fake API: what they accept, and the one error shape and message each refusal gives.
import { describe, expect, it } from 'vitest';
import { validate } from '../../worker/body.ts';
import { AlertsQuery, AnalyticsQuery, MAX_ANALYTICS_DAYS, ReportQuery } from '../../worker/routes/admin/schemas.ts';

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    return e as { status: number; code: string; message: string; details: Array<{ path: string; message: string }> };
  }
  throw new Error('expected a refusal');
}

describe('analytics query schemas', () => {
  it('accepts a range of one day up to the longest, with or without a tenant', () => {
    expect(validate(AnalyticsQuery, { from: '2026-11-30', to: '2026-11-30' })).toEqual({
      from: '2026-11-30',
      to: '2026-11-30',
    });
    // 2026-09-01 .. 2026-12-01 is 92 days, both ends included.
    expect(MAX_ANALYTICS_DAYS).toBe(92);
    expect(validate(AnalyticsQuery, { tenant: 'ink-iron', from: '2026-09-01', to: '2026-12-01' })).toEqual({
      tenant: 'ink-iron',
      from: '2026-09-01',
      to: '2026-12-01',
    });
  });

  it('refuses a reversed range, one day too many, a bad tenant, an unreal date and unknown parameters', () => {
    const reversed = refusal(() => validate(AnalyticsQuery, { from: '2026-11-30', to: '2026-11-01' }));
    expect(reversed).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'Invalid to: must not be before from',
    });
    const long = refusal(() => validate(AnalyticsQuery, { from: '2026-09-01', to: '2026-12-02' }));
    expect(long.details).toEqual([
      { path: 'to', message: 'must be at most 91 days after from (a range covers at most 92 days)' },
    ]);
    const bad = refusal(() => validate(AnalyticsQuery, { tenant: 'Ink_Iron', from: '2026-02-30', to: '2026-3-01' }));
    expect(bad.details).toEqual([
      { path: 'tenant', message: 'must be a tenant id' },
      { path: 'from', message: 'must be a real calendar date' },
      { path: 'to', message: 'must be a date YYYY-MM-DD' },
    ]);
    const extra = refusal(() => validate(AnalyticsQuery, { from: '2026-11-01', to: '2026-11-02', month: '2026-11' }));
    expect(extra.details[0]!.path).toBe('month');
    expect(refusal(() => validate(AnalyticsQuery, { to: '2026-11-02' })).details[0]!.path).toBe('from');
    // One problem for one bad date: a malformed `to` is not also "before from" or "too far".
    expect(refusal(() => validate(AnalyticsQuery, { from: '2026-11-01', to: '' })).details).toEqual([
      { path: 'to', message: 'must be a date YYYY-MM-DD' },
    ]);
    expect(refusal(() => validate(AnalyticsQuery, { from: '2026-11-01', to: '2026-10-31x' })).details).toHaveLength(1);
  });

  it('report: one real date; alerts: an optional tenant and open=1|0', () => {
    expect(validate(ReportQuery, { date: '2024-02-29' })).toEqual({ date: '2024-02-29' });
    expect(refusal(() => validate(ReportQuery, { date: '2025-02-29' })).message).toBe(
      'Invalid date: must be a real calendar date',
    );
    expect(refusal(() => validate(ReportQuery, {})).details[0]!.path).toBe('date');
    expect(validate(AlertsQuery, {})).toEqual({});
    expect(validate(AlertsQuery, { tenant: 'demo', open: '1' })).toEqual({ tenant: 'demo', open: true });
    expect(validate(AlertsQuery, { open: '0' })).toEqual({ open: false });
    expect(refusal(() => validate(AlertsQuery, { open: 'yes' })).message).toBe('Invalid open: must be 1 or 0');
  });
});
