// The daily rollout report (GET /admin/report): each flag's rollout and a GO / NO-GO from the health checks.
import type { Env } from '../env.ts';
import { listFlags } from '../flags/store.ts';
import { listTenants } from '../tenants/store.ts';
import {
  checksForFlag,
  COMMON_CHECKS,
  DEFAULT_THRESHOLDS,
  runChecks,
  toReportCheck,
  type Thresholds,
} from './checks.ts';
import type { DailyReport, ReportFeature } from './contract.ts';
import { emptyAggregate, loadDays } from './query.ts';

/** The rollout plan's steps (percent); a flag's target is the next step above its current rollout. */
export const ROLLOUT_STEPS = [1, 5, 10, 25, 50, 100];

export const tenantThresholds = (
  settings: { alerts?: { thresholds?: Partial<Thresholds> } } | undefined,
): Thresholds => ({
  ...DEFAULT_THRESHOLDS,
  ...(settings?.alerts?.thresholds ?? {}),
});

export async function dailyReport(env: Env, date: string, now = Date.now()): Promise<DailyReport> {
  const [days, flags, tenants] = await Promise.all([loadDays(env, null, date, date), listFlags(env), listTenants(env)]);
  const agg = days.get(date) ?? emptyAggregate();
  // Over all tenants the budget is the sum of theirs; the other thresholds are the plan's defaults.
  const budget = tenants
    .filter((t) => t.status === 'active')
    .reduce((s, t) => s + tenantThresholds(t.settings).dailyBudgetUsd, 0);
  const checks = runChecks(agg, DEFAULT_THRESHOLDS, budget || DEFAULT_THRESHOLDS.dailyBudgetUsd);
  const features = flags.map((flag): ReportFeature => {
    const mine = checksForFlag(flag.key).map((m) => checks[m]!);
    const failed = mine.filter((c) => c.status === 'fail');
    const reasons = failed.map((c) => `NO-GO: ${c.metric} is ${c.value}, the rule is ${c.threshold}`);
    // Evidence for widening is a pass of the feature's own checks (avatar success for the avatar, say); only a flag
    // with none of its own is judged by the common ones. Cost always passes, so it is never evidence.
    const own = mine.filter((c) => !COMMON_CHECKS.includes(c.metric));
    const evidence = (own.length ? own : mine).filter((c) => c.status === 'pass' && c.metric !== 'cost_usd');
    if (!failed.length && !evidence.length)
      reasons.push('NO-GO: not enough data to judge (its own checks are no_data)');
    if (!flag.enabled) reasons.push('The flag is off: the verdict says whether turning it on is safe');
    const verdict = failed.length || !evidence.length ? 'NO-GO' : 'GO';
    if (verdict === 'GO')
      reasons.push(`GO: ${evidence.map((c) => `${c.metric} ${c.value} ${c.threshold}`).join(', ')}`);
    return {
      flag: flag.key,
      enabled: flag.enabled,
      rollout: flag.rollout,
      target: ROLLOUT_STEPS.find((s) => s > flag.rollout) ?? null,
      verdict,
      checks: mine.map(toReportCheck),
      reasons,
    };
  });
  return { date, generatedAt: new Date(now).toISOString(), health: Object.values(checks).map(toReportCheck), features };
}

const cell = (v: unknown) =>
  (typeof v === 'object' && v !== null ? JSON.stringify(v) : String((v as string | number | undefined) ?? '—')).replace(
    /\|/g,
    '\\|',
  );

/** The rollout plan's template: health against thresholds, then one section per feature. */
export function reportMarkdown(r: DailyReport): string {
  const lines = [`# Daily rollout report ${r.date}`, '', `Generated ${r.generatedAt}.`, '', '## Health', ''];
  lines.push('| metric | value | threshold | status |', '| --- | --- | --- | --- |');
  for (const c of r.health) lines.push(`| ${cell(c.metric)} | ${cell(c.value)} | ${cell(c.threshold)} | ${c.status} |`);
  lines.push('', '## Features', '');
  lines.push('| flag | enabled | rollout | target | verdict |', '| --- | --- | --- | --- | --- |');
  for (const f of r.features) {
    lines.push(
      `| ${cell(f.flag)} | ${f.enabled ? 'yes' : 'no'} | ${f.rollout} % | ${f.target === null ? '—' : `${f.target} %`} | **${f.verdict}** |`,
    );
  }
  for (const f of r.features) {
    lines.push('', `### ${f.flag}: ${f.verdict}`, '');
    for (const c of f.checks) lines.push(`- ${c.metric}: ${cell(c.value)} (${c.threshold}) ${c.status}`);
    for (const reason of f.reasons) lines.push(`- ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}
