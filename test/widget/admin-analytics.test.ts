// The admin console's Analytics, Daily report and Alerts sections in Chromium against the fake admin API, which
// answers in the contract's types (worker/analytics/contract.ts) and validates queries with the Worker's schemas.
import { expect, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { addDays, analyticsCharts, kpis, lastDays, utcDay } from '../../widget/admin/analytics-model.ts';
import { AdminApiError, AdminClient, type DailyReport } from '../../widget/admin/api.ts';
import { deepActive, flagsLoaded, mount, openTab, panel, q, qa, signIn, status, tabTo } from './admin-helpers.ts';
import { text, type } from './admin-helpers.ts';
import { analyticsAnswer, reportMarkdown, seedAnalytics } from './fakes/admin-analytics.ts';
import { ADMIN_TOKEN, FakeAdminApi } from './fakes/admin-api.ts';

const today = utcDay();
const yesterday = addDays(today, -1);
const month = lastDays(30, today);
const charts = (p: Element) => qa(p, 'vb-admin-chart');
const inChart = (chart: Element, selector: string) => chart.shadowRoot!.querySelector<HTMLElement>(selector);
const lastQuery = (api: FakeAdminApi, path: string) => new URLSearchParams(api.sent('GET', path).at(-1)!.search);
const button = (p: Element, label: string) => qa(p, 'button').find((b) => text(b) === label)!;

async function signedIn(api: FakeAdminApi) {
  const app = await mount();
  await signIn(app);
  await flagsLoaded(app);
  return { app, api };
}

describe('<vb-admin-app> analytics, report and alerts', () => {
  let api: FakeAdminApi;
  beforeEach(() => {
    sessionStorage.clear();
    api = new FakeAdminApi().install();
  });
  afterEach(async () => {
    api.uninstall();
    await resetMouse();
  });

  it('analytics: all tenants, the last 30 days, headline numbers and six drawn charts with their words', async () => {
    seedAnalytics(api.analytics, 'demo', addDays(today, -40), today, { sessions: 120, success: 0.96 });
    seedAnalytics(api.analytics, 'acme', addDays(today, -40), today, { sessions: 40, success: 0.9 });
    const { app } = await signedIn(api);
    const section = await openTab(app, 'analytics', 'vb-admin-analytics', 'vb-admin-chart');
    const sent = lastQuery(api, '/admin/analytics');
    expect([...sent]).to.deep.equal([
      ['from', month.from],
      ['to', today],
    ]);

    const expected = analyticsAnswer(api.analytics, ['demo', 'acme'], null, month.from, today);
    const attempts = expected.days.reduce((n, d) => n + d.sessions.attempts, 0);
    expect(text(q(section, '[data-kpi="sessions"] dd'))).to.equal(attempts.toLocaleString('en-US'));
    const tiles = qa(section, '[data-kpi]').map((k) => [text(k.querySelector('dt')), text(k.querySelector('dd'))]);
    expect(tiles).to.deep.equal(kpis(expected.totals).map((k) => [k.label, k.value]));
    expect(text(q(section, '[data-range]')))
      .to.contain('All tenants')
      .and.to.contain('(30 days, UTC)');

    const specs = analyticsCharts(expected);
    await waitUntil(() => charts(section).every((c) => inChart(c, '.plot canvas')), 'the charts were not drawn');
    expect(charts(section).map((c) => inChart(c, 'figure')!.dataset.chart)).to.deep.equal(specs.map((s) => s.id));
    for (const [i, chart] of charts(section).entries()) {
      const canvas = inChart(chart, '.plot canvas') as HTMLCanvasElement;
      expect(canvas.width, `${specs[i]!.id} is drawn across its card`).to.be.greaterThan(200);
      expect(inChart(chart, '.plot')!.getAttribute('aria-hidden')).to.equal('true');
      expect(text(inChart(chart, 'figcaption'))).to.equal(specs[i]!.summary);
      expect(chart.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(30);
      const cells = (sel: string) => [...chart.shadowRoot!.querySelectorAll(sel)].map((c) => text(c));
      expect(cells('tfoot th, tfoot td')).to.deep.equal(specs[i]!.table.foot);
      expect(cells('thead th')).to.deep.equal(specs[i]!.table.head);
      expect(cells('.legend li')).to.deep.equal(specs[i]!.series.map((s) => s.label));
    }
    await expect(app).to.be.accessible();

    // One tenant, then the last 7 days: each asks again, with the tenant and range it shows.
    const select = q<HTMLSelectElement>(section, '#an-tenant');
    const options = [...select.options].map((o) => o.textContent);
    expect(options).to.deep.equal(['All tenants', 'Ink & Iron (demo)', 'Acme Studio (acme)']);
    type(select as unknown as HTMLInputElement, 'acme', 'change');
    await waitUntil(() => lastQuery(api, '/admin/analytics').get('tenant') === 'acme', 'the tenant was not asked for');
    await waitUntil(() => text(section.shadowRoot!.querySelector('[data-range]')).startsWith('Acme Studio'));
    button(section, '7 days').click();
    const week = () => lastQuery(api, '/admin/analytics').get('from') === addDays(today, -6);
    await waitUntil(week, 'the preset was not asked for');
    expect(lastQuery(api, '/admin/analytics').get('tenant')).to.equal('acme');
    expect(button(section, '7 days').getAttribute('aria-pressed')).to.equal('true');
    await waitUntil(() => charts(section)[0]?.shadowRoot?.querySelectorAll('tbody tr').length === 7, 'not 7 days');
  });

  it('analytics: a range the Worker would refuse is flagged at its field and never sent', async () => {
    seedAnalytics(api.analytics, 'demo', month.from, today, { sessions: 50, success: 0.95 });
    const { app } = await signedIn(api);
    const section = await openTab(app, 'analytics', 'vb-admin-analytics', 'vb-admin-chart');
    const asked = api.sent('GET', '/admin/analytics').length;

    type(q<HTMLInputElement>(section, '#an-from'), today);
    type(q<HTMLInputElement>(section, '#an-to'), addDays(today, -3));
    button(section, 'Show').click();
    await waitUntil(() => section.shadowRoot!.querySelector('#an-to-error'), 'a reversed range was not flagged');
    expect(text(q(section, '#an-to-error'))).to.equal('To must not be before from');
    expect(q(section, '#an-to').getAttribute('aria-invalid')).to.equal('true');
    expect(q(section, '#an-to').getAttribute('aria-describedby')).to.equal('an-to-error');
    expect(deepActive()?.id, 'focus goes to the field').to.equal('an-to');
    await expect(app).to.be.accessible();

    type(q<HTMLInputElement>(section, '#an-from'), addDays(today, -92));
    type(q<HTMLInputElement>(section, '#an-to'), today);
    button(section, 'Show').click();
    await waitUntil(() => text(section.shadowRoot!.querySelector('#an-to-error')).includes('at most 92 days'));
    expect(api.sent('GET', '/admin/analytics'), 'nothing was sent').to.have.length(asked);

    // 92 days exactly is fine, and the fields' error goes.
    type(q<HTMLInputElement>(section, '#an-from'), addDays(today, -91));
    button(section, 'Show').click();
    await waitUntil(() => api.sent('GET', '/admin/analytics').length === asked + 1, 'the longest range was not sent');
    expect(section.shadowRoot!.querySelector('#an-to-error')).to.equal(null);

    // The fake refuses what the Worker refuses, in its words: the console's own check is not the only one.
    const client = new AdminClient({ token: ADMIN_TOKEN });
    const refusal = await client.analytics({ from: today, to: addDays(today, -1) }).catch((e: unknown) => e);
    expect(refusal).to.be.instanceOf(AdminApiError);
    expect((refusal as AdminApiError).problems).to.deep.equal([{ path: 'to', message: 'must not be before from' }]);
    const badTenant = await client.analytics({ tenant: 'Not_A_Tenant', ...month }).catch((e: unknown) => e);
    expect((badTenant as AdminApiError).problems).to.deep.equal([{ path: 'tenant', message: 'must be a tenant id' }]);
  });

  it('analytics: a Worker refusal at the picker, a gone tenant in the banner, loading and no data states', async () => {
    const { app } = await signedIn(api);
    const like = api.tenants[0]!;
    api.tenants.push({ ...like, id: 'Old_Tenant', name: 'Imported' }, { ...like, id: 'gone', name: 'Gone' });
    api.holding = true;
    q<HTMLButtonElement>(app, '#tab-analytics').click();
    await waitUntil(() => api.held.length === 2, 'the section did not load its tenants and analytics');
    const section = panel(app, 'vb-admin-analytics')!;
    await waitUntil(() => section.shadowRoot!.querySelector('.chart-skeleton'), 'no loading state');
    expect(q(section, '.results').getAttribute('aria-busy')).to.equal('true');
    expect(text(q(section, '.visually-hidden'))).to.equal('Loading analytics…');
    await expect(app).to.be.accessible();
    api.holding = false;
    api.held.forEach((release) => release());

    await waitUntil(() => section.shadowRoot!.querySelector('[data-empty]'), 'no empty state');
    expect(text(q(section, '[data-empty] h3'))).to.equal('No data for this range yet');
    expect(charts(section)).to.have.length(0);
    await expect(app).to.be.accessible();

    const select = q<HTMLSelectElement>(section, '#an-tenant');
    await waitUntil(() => select.options.length === 5, 'the tenants were not listed');
    type(select as unknown as HTMLInputElement, 'Old_Tenant', 'change');
    await waitUntil(() => section.shadowRoot!.querySelector('#an-tenant-error'), 'no refusal at the picker');
    expect(text(q(section, '#an-tenant-error'))).to.equal('must be a tenant id');
    const refused = /^Could not load the analytics: Invalid tenant: must be a tenant id \(request req-\d+\)$/;
    expect(text(q(section, '[role="alert"]'))).to.match(refused);

    api.tenants = api.tenants.filter((t) => t.id !== 'gone');
    type(select as unknown as HTMLInputElement, 'gone', 'change');
    const banner = () => text(section.shadowRoot!.querySelector('[role="alert"]'));
    await waitUntil(() => banner().includes('Tenant "gone" not found'));
    expect(section.shadowRoot!.querySelector('#an-tenant-error')).to.equal(null);
  });

  it('analytics: an empty chart says so; its table opens by keyboard; a readout follows the pointer', async () => {
    seedAnalytics(api.analytics, 'demo', month.from, today, { sessions: 80, success: 0.97 });
    for (const day of Object.values(api.analytics.demo!)) day.fallbacks.byReason = {};
    const { app } = await signedIn(api);
    const section = await openTab(app, 'analytics', 'vb-admin-analytics', 'vb-admin-chart');
    await waitUntil(() => charts(section).length === 6);
    const [sessions, , , fallbacks] = charts(section);
    await waitUntil(() => inChart(sessions!, '.plot canvas'));
    expect(text(inChart(fallbacks!, '[data-empty]'))).to.equal('No fallbacks in this range.');
    expect(inChart(fallbacks!, 'canvas')).to.equal(null);
    expect(inChart(fallbacks!, 'details')).to.equal(null);

    const summary = inChart(sessions!, 'summary')!;
    await tabTo((el) => el === summary, 'the first data table');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => (inChart(sessions!, 'details') as HTMLDetailsElement).open, 'Enter did not open the table');
    await sendKeys({ press: 'Tab' });
    expect(deepActive()?.getAttribute('role'), 'the scrollable table is a stop of its own').to.equal('region');
    await expect(app).to.be.accessible();

    inChart(sessions!, '.plot')!.scrollIntoView({ block: 'center' });
    const over = inChart(sessions!, '.u-over')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(over.left + 3), Math.round(over.top + over.height / 2)] });
    const first = analyticsCharts(analyticsAnswer(api.analytics, ['demo', 'acme'], null, month.from, today))[0]!;
    await waitUntil(() => text(inChart(sessions!, '.readout')).startsWith(`${first.table.rows[0]![0]}:`), 'no readout');
    expect(text(inChart(sessions!, '.readout'))).to.contain(`Connected ${first.table.rows[0]![2]}`);
    expect(inChart(sessions!, '.readout')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('report: GO or NO-GO per feature with checks and reasons; markdown as text/markdown, to copy', async () => {
    const report: DailyReport = {
      date: yesterday,
      generatedAt: `${today}T00:05:00.000Z`,
      health: [
        { metric: 'connection_success', value: 0.962, threshold: '>= 0.95', status: 'pass' },
        { metric: 'tts_p95_ms', value: 1620, threshold: '< 1500 ms', status: 'fail' },
      ],
      features: [
        {
          flag: 'tts',
          enabled: true,
          rollout: 10,
          target: 25,
          verdict: 'NO-GO',
          checks: [{ metric: 'tts_p95_ms', value: 1620, threshold: '< 1500 ms', status: 'fail' }],
          reasons: ['Voice synthesis p95 1.6 s is over 1.5 s.'],
        },
        {
          flag: 'avatar',
          enabled: true,
          rollout: 50,
          target: null,
          verdict: 'GO',
          checks: [{ metric: 'avatar_success', value: 0.81, threshold: '>= 0.70', status: 'pass' }],
          reasons: ['Every check passed.'],
        },
      ],
    };
    api.reports[yesterday] = report;
    const { app } = await signedIn(api);
    const section = await openTab(app, 'report', 'vb-admin-report', '[data-feature]');
    expect(api.sent('GET', '/admin/report')[0]!.search).to.equal(`?date=${yesterday}`);
    expect(api.sent('GET', '/admin/report')[0]!.headers['accept']).to.equal('application/json');
    expect(text(q(section, '[data-verdicts]'))).to.equal('1 GO, 1 NO-GO of 2 features');
    const tts = q(section, '[data-feature="tts"]');
    expect(text(tts.querySelector('[data-verdict]'))).to.equal('✕ NO-GO');
    expect(text(tts)).to.contain('rollout 10% → 25%').and.to.contain('Voice synthesis p95 1.6 s is over 1.5 s.');
    const ttsCheck = text(tts.querySelector('tr[data-metric="tts_p95_ms"]'));
    expect(ttsCheck).to.equal('Voice synthesis p95 1.6 s < 1500 ms ✕ Fail');
    expect(text(q(section, '[data-feature="avatar"] [data-verdict]'))).to.equal('✓ GO');
    const avatarCheck = text(q(section, '[data-feature="avatar"] tr[data-metric]'));
    expect(avatarCheck).to.equal('Avatar success 81.0% >= 0.70 ✓ Pass');
    expect(text(q(section, '[data-health] tr[data-metric="connection_success"]'))).to.contain('96.2%');
    await expect(app).to.be.accessible();

    expect(api.sent('GET', '/admin/report'), 'markdown only when asked for').to.have.length(1);
    const toggle = q<HTMLButtonElement>(section, 'button[aria-controls="report-md-body"]');
    toggle.click();
    await waitUntil(() => section.shadowRoot!.querySelector('#report-md'), 'no markdown');
    expect(api.sent('GET', '/admin/report').at(-1)!.headers['accept']).to.equal('text/markdown');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const area = q<HTMLTextAreaElement>(section, '#report-md');
    expect(area.value).to.equal(reportMarkdown(report));
    await expect(app).to.be.accessible();

    // Whether this headless page may write the clipboard decides which of the two outcomes is right.
    q<HTMLButtonElement>(app, '#tab-report').focus();
    const canWrite = await navigator.clipboard.writeText('probe').then(
      () => true,
      () => false,
    );
    button(section, 'Copy markdown').click();
    if (canWrite) {
      await waitUntil(() => status(app).startsWith('Copied the report of'), 'the copy was not announced');
    } else {
      await waitUntil(() => status(app).startsWith('Could not copy by itself'), 'the fallback was not announced');
      expect([area.selectionStart, area.selectionEnd]).to.deep.equal([0, area.value.length]);
    }

    type(q<HTMLInputElement>(section, '#report-date'), addDays(today, -2), 'change');
    const asked = () => api.sent('GET', '/admin/report').filter((r) => r.search === `?date=${addDays(today, -2)}`);
    await waitUntil(() => asked().length === 2, 'the day was not asked for, as JSON and markdown');
    const verdict = () => text(section.shadowRoot!.querySelector('[data-feature="tts"] [data-verdict]'));
    await waitUntil(() => verdict() === '✕ NO-GO');
    expect(text(q(section, '[data-feature="tts"]'))).to.contain('No data for this day');
    expect(qa(section, '[data-status]').every((s) => s.dataset.status === 'no_data')).to.equal(true);
    const followed = () => area.value.includes(`# Daily rollout report ${addDays(today, -2)}`);
    await waitUntil(followed, 'the markdown did not follow the day');

    api.offline = true;
    button(section, 'Refresh').click();
    await waitUntil(() => section.shadowRoot!.querySelector('.results ~ [role="alert"], [role="alert"]'));
    expect(text(q(section, '[role="alert"]'))).to.contain('Could not load the report: The server could not be reached');
    expect(section.shadowRoot!.querySelector('[data-feature="tts"]'), 'the last report stays').to.exist;
  });

  it('alerts: open ones first, filtered by tenant and to the open ones; none is a finished empty state', async () => {
    const at = (h: number) => new Date(Date.parse(`${today}T12:00:00Z`) - h * 3_600_000).toISOString();
    api.alerts = [
      {
        id: 'a1',
        tenant: 'demo',
        metric: 'cost_usd',
        value: 72.4,
        threshold: 60,
        openedAt: at(30),
        closedAt: at(24),
        notifiedAt: at(30),
      },
      {
        id: 'a2',
        tenant: null,
        metric: 'avatar_sync_delay_ms',
        value: 1340,
        threshold: 1000,
        openedAt: at(2),
        closedAt: null,
        notifiedAt: null,
      },
      {
        id: 'a3',
        tenant: 'demo',
        metric: 'error_rate',
        value: 0.031,
        threshold: 0.02,
        openedAt: at(5),
        closedAt: null,
        notifiedAt: at(5),
      },
    ];
    const { app } = await signedIn(api);
    const section = await openTab(app, 'alerts', 'vb-admin-alerts', '[data-alert]');
    expect(qa(section, '[data-alert]').map((a) => a.dataset.alert)).to.deep.equal(['a2', 'a3', 'a1']);
    expect(text(q(section, '[data-count]'))).to.equal('2 open, 1 closed');
    expect(text(q(section, '[data-alert="a2"]')))
      .to.contain('Avatar sync delay')
      .and.to.contain('1.3 s (threshold 1 s) · All tenants')
      .and.to.contain('No webhook sent');
    expect(text(q(section, '[data-alert="a1"] [data-state]'))).to.equal('Closed');
    expect(text(q(section, '[data-alert="a1"]')))
      .to.contain('$72.40 (threshold $60.00) · demo')
      .and.to.contain('(after 6 h)');
    await expect(app).to.be.accessible();

    q<HTMLInputElement>(section, '#al-open').click();
    await waitUntil(() => lastQuery(api, '/admin/alerts').get('open') === '1', 'open only was not asked for');
    await waitUntil(() => qa(section, '[data-alert]').length === 2);
    type(q<HTMLSelectElement>(section, '#al-tenant') as unknown as HTMLInputElement, 'acme', 'change');
    await waitUntil(() => section.shadowRoot!.querySelector('[data-empty]'), 'no empty state');
    expect([...lastQuery(api, '/admin/alerts')]).to.deep.equal([
      ['tenant', 'acme'],
      ['open', '1'],
    ]);
    expect(text(q(section, '[data-empty]'))).to.equal('No open alerts: every metric is within its thresholds.');
    await expect(app).to.be.accessible();
  });
});
