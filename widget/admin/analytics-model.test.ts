import { expect } from '@open-wc/testing';
import { analyticsAnswer, zeroMetrics, type AnalyticsStore } from '../../test/widget/fakes/admin-analytics.ts';
import { validate } from '../../worker/body.ts';
import type { ApiError } from '../../worker/errors.ts';
import { AnalyticsQuery, MAX_ANALYTICS_DAYS } from '../../worker/routes/admin/schemas.ts';
import { contrast, type Rgb } from '../theme/contrast.ts';
import * as m from './analytics-model.ts';
import type { AnalyticsMetrics } from './api.ts';

const day = (over: Partial<AnalyticsMetrics> & { attempts?: number; connected?: number } = {}): AnalyticsMetrics => {
  const { attempts = 0, connected = 0, ...rest } = over;
  return {
    ...zeroMetrics(),
    sessions: { attempts, connected, successRate: attempts ? connected / attempts : null },
    ...rest,
  };
};

/** Three days of one tenant: a good one, an empty one, a bad one. */
function threeDays() {
  const store: AnalyticsStore = {
    demo: {
      '2026-11-01': day({
        attempts: 100,
        connected: 98,
        connectMs: { p50: 450, p95: 980 },
        fallbacks: { byReason: { weak_network: 2 } },
        errors: { byCode: { provider_timeout: 1 }, rate: 0.01 },
        avatar: { started: 10, fallbacks: 0, minutes: 30, costUsd: 3, syncMs: { p50: 300, p95: 700 } },
        costUsd: 7.5,
        pageMs: { p50: 150, p95: 380 },
      }),
      '2026-11-03': day({
        attempts: 50,
        connected: 40,
        connectMs: { p50: 900, p95: 2100 },
        fallbacks: { byReason: { weak_network: 1, avatar_failed: 4 } },
        errors: { byCode: { provider_timeout: 3, rate_limited: 2 }, rate: 0.1 },
        avatar: { started: 5, fallbacks: 4, minutes: 8, costUsd: 0.8, syncMs: { p50: 450, p95: 1300 } },
        costUsd: 2.3,
        pageMs: { p50: 210, p95: 640 },
      }),
    },
  };
  return analyticsAnswer(store, ['demo'], 'demo', '2026-11-01', '2026-11-03');
}

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as never;

describe('analytics model', () => {
  it("checks a range by the Worker's rules, in the Worker's words", () => {
    expect(m.MAX_RANGE_DAYS).to.equal(MAX_ANALYTICS_DAYS);
    const ranges: Array<[string, string]> = [
      ['2026-11-01', '2026-11-30'],
      ['2026-11-30', '2026-11-01'],
      ['2026-09-01', '2026-12-01'],
      ['2026-09-01', '2026-12-02'],
      ['2026-02-30', '2026-03-01'],
      ['2026-11-01', ''],
    ];
    for (const [from, to] of ranges) {
      let worker: Record<string, string> = {};
      try {
        validate(AnalyticsQuery, { from, to });
      } catch (e) {
        const details = (e as ApiError).details as Array<{ path: string; message: string }>;
        worker = Object.fromEntries(details.map((d) => [d.path, d.message]));
      }
      const ours = m.rangeProblems(from, to) as Record<string, string>;
      // The Worker says "real calendar date" where the shape is right; the console says what to type.
      if (worker.from === 'must be a real calendar date') worker.from = 'must be a date YYYY-MM-DD';
      expect(ours, `${from}..${to}`).to.deep.equal(worker);
    }
  });

  it('counts days in UTC across a daylight-saving change and a leap day', () => {
    expect(m.dayCount('2026-03-28', '2026-03-30')).to.equal(3);
    expect(m.addDays('2028-02-28', 1)).to.equal('2028-02-29');
    expect(m.lastDays(7, '2026-12-02')).to.deep.equal({ from: '2026-11-26', to: '2026-12-02' });
    expect(m.utcDay(new Date('2026-12-02T23:59:59-05:00'))).to.equal('2026-12-03');
  });

  it('formats rates, times, dollars and days for people', () => {
    expect(m.formatRate(0.9523)).to.equal('95.2%');
    expect(m.formatRate(1)).to.equal('100.0%');
    expect(m.formatRate(null)).to.equal('no data');
    expect(m.formatMs(420.4)).to.equal('420 ms');
    expect(m.formatMs(1440)).to.equal('1.4 s');
    expect(m.formatMs(null)).to.equal('no data');
    expect(m.formatUsd(12.5)).to.equal('$12.50');
    expect(m.formatUsd(0.001)).to.equal('< $0.01');
    expect(m.formatUsd(0)).to.equal('$0.00');
    expect(m.formatCount(12345)).to.equal('12,345');
    expect(m.formatDay('2026-11-03')).to.equal('Nov 3');
    expect(m.formatDay('2026-11-03', 'long')).to.equal('Tue, Nov 3, 2026');
    expect(m.formatValue('usd', null)).to.equal('no data');
  });

  it('turns an answer into six charts: series per day, a summary and a data table with totals', () => {
    const r = threeDays();
    const charts = m.analyticsCharts(r);
    expect(charts.map((c) => c.id)).to.deep.equal(['sessions', 'connect', 'ready', 'fallbacks', 'errors', 'cost']);
    const [sessions, connect, ready, fallbacks, errors, cost] = charts;
    expect(sessions!.dates).to.deep.equal(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(sessions!.series.map((s) => [s.label, s.values])).to.deep.equal([
      ['Connected', [98, 0, 40]],
      ['Not connected', [2, 0, 10]],
      ['Success rate', [0.98, null, 0.8]],
    ]);
    expect(sessions!.summary).to.equal(
      'From Nov 1 to Nov 3: 150 session attempts, 138 connected (92.0% success). Lowest daily success 80.0% on Nov 3.',
    );
    expect(sessions!.table.head).to.deep.equal(['Day', 'Attempts', 'Connected', 'Success rate']);
    expect(sessions!.table.rows[1]).to.deep.equal(['Nov 2', '0', '0', 'no data']);
    expect(sessions!.table.foot).to.deep.equal(['Total', '150', '138', '92.0%']);
    expect(sessions!.empty).to.equal(null);

    expect(connect!.series[1]!.values).to.deep.equal([980, null, 2100]);
    expect(connect!.summary).to.contain('Slowest day Nov 3 (p95 2.1 s)');

    expect(ready!.series.map((s) => [s.label, s.values])).to.deep.equal([
      ['Ready p50', [150, null, 210]],
      ['Ready p95', [380, null, 640]],
      ['Avatar sync p95', [700, null, 1300]],
    ]);
    // Totals weighted as the fake Worker does: page times by attempts (100, 50), avatar sync by avatars started.
    expect(ready!.summary).to.equal(
      'From Nov 1 to Nov 3: the widget was ready 170 ms after it met the page (95th percentile 467 ms); the avatar ' +
        'began a reply 900 ms after its text (p95). Slowest day Nov 3 (p95 640 ms).',
    );
    expect(ready!.table.rows[1]).to.deep.equal(['Nov 2', 'no data', 'no data', 'no data']);

    expect(fallbacks!.series.map((s) => s.label)).to.deep.equal(['avatar_failed', 'weak_network']);
    expect(fallbacks!.table.head).to.deep.equal(['Day', 'avatar_failed', 'weak_network', 'Total']);
    expect(fallbacks!.table.foot).to.deep.equal(['Total', '4', '3', '7']);
    expect(fallbacks!.summary).to.equal(
      'From Nov 1 to Nov 3: 7 fallbacks (avatar_failed 4, weak_network 3). Most on Nov 3 (5).',
    );

    expect(errors!.series.map((s) => [s.kind, s.label])).to.deep.equal([
      ['bar', 'provider_timeout'],
      ['bar', 'rate_limited'],
      ['line', 'Error rate'],
    ]);
    expect(errors!.table.rows[2]).to.deep.equal(['Nov 3', '3', '2', '5', '10.0%']);

    expect(cost!.series.map((s) => s.values)).to.deep.equal([
      [4.5, 0, 1.5],
      [3, 0, 0.8],
    ]);
    expect(cost!.table.foot).to.deep.equal(['Total', '$6.00', '$3.80', '$9.80']);
    expect(cost!.summary).to.equal(
      'From Nov 1 to Nov 3: $9.80 in all, $3.80 of it avatar minutes. Highest $7.50 on Nov 1.',
    );
  });

  it('says so when there is nothing to draw, chart by chart and for the whole range', () => {
    const r = analyticsAnswer({}, ['demo'], null, '2026-11-30', '2026-11-30');
    expect(m.hasNoData(r)).to.equal(true);
    const charts = m.analyticsCharts(r);
    expect(charts.map((c) => c.empty)).to.deep.equal([
      'No session attempts in this range yet.',
      'No connect times measured in this range yet.',
      'No page or avatar timings in this range yet.',
      'No fallbacks in this range.',
      'No errors in this range.',
      'No cost recorded in this range.',
    ]);
    expect(charts[0]!.summary).to.equal('On Nov 30: 0 session attempts, 0 connected (no data success).');
    expect(m.hasNoData(threeDays())).to.equal(false);
  });

  it('keeps the four largest categories and folds the rest into Other', () => {
    const many = { a: 1, b: 9, c: 3, d: 3, e: 2, f: 1 };
    expect(m.topKeys([many])).to.deep.equal({ keys: ['b', 'c', 'd', 'e'], other: true });
    expect(
      m.topKeys([
        { a: 1, b: 0 },
        { a: 2, c: 1 },
      ]),
    ).to.deep.equal({ keys: ['a', 'c'], other: false });
    const store: AnalyticsStore = { demo: { '2026-11-01': day({ attempts: 20, fallbacks: { byReason: many } }) } };
    const [, , , fallbacks] = m.analyticsCharts(analyticsAnswer(store, ['demo'], null, '2026-11-01', '2026-11-01'));
    expect(fallbacks!.series.map((s) => [s.label, s.values[0]])).to.deep.equal([
      ['b', 9],
      ['c', 3],
      ['d', 3],
      ['e', 2],
      ['Other', 2],
    ]);
    expect(fallbacks!.series.at(-1)!.color).to.equal(m.OTHER_COLOR);
    expect(fallbacks!.summary).to.equal('On Nov 1: 19 fallbacks (b 9, c 3, d 3, e 2, other 2).');
  });

  it('tops an axis at a round number just above the data', () => {
    expect(m.niceMax(25, 'count')).to.equal(30);
    expect(m.niceMax(300, 'count')).to.equal(400);
    expect(m.niceMax(7, 'count')).to.equal(8);
    expect(m.niceMax(0, 'count')).to.equal(4);
    expect(m.niceMax(33.67, 'usd')).to.equal(40);
    expect(m.niceMax(1820, 'ms')).to.equal(2000);
    expect(m.niceMax(0.97, 'rate')).to.equal(1);
    expect(m.niceMax(0.021, 'rate')).to.be.closeTo(0.025, 1e-9);
    expect(m.niceMax(0, 'rate')).to.be.closeTo(0.01, 1e-9);
  });

  it('stacks bars as running totals', () => {
    expect(
      m.stack([
        [1, null, 3],
        [2, 2, null],
        [0, 1, 1],
      ]),
    ).to.deep.equal([
      [1, 0, 3],
      [3, 2, 3],
      [3, 3, 4],
    ]);
  });

  it('every series colour stands out from the console background by 3:1 (WCAG 1.4.11)', () => {
    const drawn = m.analyticsCharts(threeDays()).flatMap((c) => c.series.map((s) => s.color));
    const colours = new Set([...m.PALETTE, m.OTHER_COLOR, ...drawn]);
    for (const c of colours) expect(contrast(rgb(c), [255, 255, 255]), c).to.be.at.least(3);
  });

  it('headline numbers of the range', () => {
    const k = m.kpis(threeDays().totals);
    expect(k.map((x) => `${x.label}: ${x.value}`)).to.deep.equal([
      'Session attempts: 150',
      'Success rate: 92.0%',
      'Connect p50: 580 ms',
      'Connect p95: 1.3 s',
      'Fallbacks: 7',
      'Error rate: 4.0%',
      'Cost: $9.80',
    ]);
  });
});
