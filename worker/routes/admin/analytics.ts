// GET /admin/analytics, /admin/report, /admin/alerts: answers typed by worker/analytics/contract.ts.
import { Hono } from 'hono';
import { listAlerts } from '../../analytics/alerts.ts';
import type { AlertsResponse, AnalyticsResponse, DailyReport } from '../../analytics/contract.ts';
import { analytics } from '../../analytics/query.ts';
import { dailyReport, reportMarkdown } from '../../analytics/report.ts';
import { validate } from '../../body.ts';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { getTenant } from '../../tenants/store.ts';
import { AlertsQuery, AnalyticsQuery, ReportQuery } from './schemas.ts';

export const adminAnalytics = new Hono<AppEnv>()
  .get('/analytics', async (c) => {
    const q = validate(AnalyticsQuery, c.req.query());
    if (q.tenant && !(await getTenant(c.env, q.tenant)))
      throw new ApiError(404, 'not_found', `Tenant "${q.tenant}" not found`);
    const body: AnalyticsResponse = await analytics(c.env, q.tenant ?? null, q.from, q.to);
    return c.json(body);
  })
  .get('/report', async (c) => {
    const q = validate(ReportQuery, c.req.query());
    const report: DailyReport = await dailyReport(c.env, q.date);
    if (/\btext\/markdown\b/i.test(c.req.header('accept') ?? '')) {
      return c.body(reportMarkdown(report), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    }
    return c.json(report);
  })
  .get('/alerts', async (c) => {
    const q = validate(AlertsQuery, c.req.query());
    const body: AlertsResponse = { alerts: await listAlerts(c.env, q.tenant, q.open) };
    return c.json(body);
  });
