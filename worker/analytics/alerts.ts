// Alerts, checked by the cron trigger (worker/index.ts): per tenant, the recent hours against its thresholds. A
// failing check opens an episode (one open episode per tenant and metric), a passing one closes it, `no_data` leaves
// it as it is. A new episode is posted once to settings.alerts.webhookUrl, signed like the generation webhooks.
import type { Env } from '../env.ts';
import { signWebhook } from '../handoff/signature.ts';
import { callProvider, upstreamTimeout } from '../providers/upstream.ts';
import type { Tenant } from '../tenants/model.ts';
import { listTenants } from '../tenants/store.ts';
import { runChecks } from './checks.ts';
import type { AlertEpisode } from './contract.ts';
import { emptyAggregate, loadDays, mergeInto } from './query.ts';
import { tenantThresholds } from './report.ts';

interface AlertRow {
  id: string;
  tenant_id: string;
  metric: string;
  value: number;
  threshold: number;
  opened_at: string;
  closed_at: string | null;
  notified_at: string | null;
}

export const rowToEpisode = (r: AlertRow): AlertEpisode => ({
  id: r.id,
  tenant: r.tenant_id || null,
  metric: r.metric,
  value: r.value,
  threshold: r.threshold,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  notifiedAt: r.notified_at,
});

/** `open`: true only the episodes still open, false only the closed ones, undefined all. */
export async function listAlerts(env: Env, tenant: string | undefined, open?: boolean): Promise<AlertEpisode[]> {
  const state = open === undefined ? '1 = 1' : open ? 'closed_at IS NULL' : 'closed_at IS NOT NULL';
  const where = [tenant ? 'tenant_id = ?1' : '1 = 1', state].join(' AND ');
  const stmt = env.DB.prepare(`SELECT * FROM analytics_alerts WHERE ${where} ORDER BY opened_at DESC LIMIT 200`);
  const { results } = await (tenant ? stmt.bind(tenant) : stmt).all<AlertRow>();
  return results.map(rowToEpisode);
}

/** The window alerts look at: this hour and the previous one (both of today after midnight: just this one). */
async function recent(env: Env, tenant: string, now: number) {
  const iso = new Date(now).toISOString();
  const day = iso.slice(0, 10);
  const hour = Number(iso.slice(11, 13));
  const recentHours = (await loadDays(env, tenant, day, day, Math.max(0, hour - 1))).get(day) ?? emptyAggregate();
  // Cost is against a daily budget: the whole day so far.
  const wholeDay = (await loadDays(env, tenant, day, day)).get(day) ?? emptyAggregate();
  return { recentHours, cost: mergeInto(emptyAggregate(), wholeDay) };
}

export async function checkTenantAlerts(env: Env, tenant: Tenant, now: number): Promise<void> {
  const thresholds = tenantThresholds(tenant.settings);
  const { recentHours, cost } = await recent(env, tenant.id, now);
  const checks = { ...runChecks(recentHours, thresholds), cost_usd: runChecks(cost, thresholds).cost_usd! };
  const at = new Date(now).toISOString();
  const statements: D1PreparedStatement[] = [];
  for (const c of Object.values(checks)) {
    if (c.status === 'fail') {
      statements.push(
        env.DB.prepare(
          `INSERT INTO analytics_alerts (id, tenant_id, metric, value, threshold, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
           ON CONFLICT DO NOTHING`,
        ).bind(crypto.randomUUID(), tenant.id, c.metric, c.value, c.limit, at),
      );
    } else if (c.status === 'pass') {
      statements.push(
        env.DB.prepare(
          'UPDATE analytics_alerts SET closed_at = ?3 WHERE tenant_id = ?1 AND metric = ?2 AND closed_at IS NULL',
        ).bind(tenant.id, c.metric, at),
      );
    }
  }
  if (statements.length) await env.DB.batch(statements);
  await notify(env, tenant, now);
}

/** Posts every open, not yet notified episode of the tenant once; a failed post is tried again at the next cron. */
async function notify(env: Env, tenant: Tenant, now: number): Promise<void> {
  const alerts = tenant.settings.alerts;
  const secret = alerts?.webhookSecret ?? tenant.settings.handoff?.webhookSecret;
  if (!alerts?.webhookUrl || !secret) return;
  const { results } = await env.DB.prepare(
    'SELECT * FROM analytics_alerts WHERE tenant_id = ?1 AND closed_at IS NULL AND notified_at IS NULL',
  )
    .bind(tenant.id)
    .all<AlertRow>();
  for (const row of results) {
    const body = JSON.stringify({ type: 'analytics.alert', alert: rowToEpisode(row) });
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'voice-buddy-webhook/1',
      ...(await signWebhook(secret, body)),
    };
    try {
      const res = await callProvider(
        'The alert webhook',
        alerts.webhookUrl,
        { method: 'POST', headers, body, redirect: 'manual' },
        upstreamTimeout(env),
      );
      await res.body?.cancel().catch(() => {});
      if (res.status >= 300) continue;
    } catch {
      continue;
    }
    // Guarded, so two overlapping crons never both count as the one notification.
    await env.DB.prepare('UPDATE analytics_alerts SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL')
      .bind(row.id, new Date(now).toISOString())
      .run();
  }
}

export async function checkAlerts(env: Env, now = Date.now()): Promise<void> {
  const tenants = (await listTenants(env)).filter((t) => t.status === 'active');
  for (const t of tenants) {
    try {
      await checkTenantAlerts(env, t, now);
    } catch (e) {
      console.error('alert check failed', { tenant: t.id, name: (e as Error).name, message: (e as Error).message });
    }
  }
}
