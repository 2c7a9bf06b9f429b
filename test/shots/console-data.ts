// The screenshot page's data (test/shots/console.mjs): the fake admin API installed in the page with 90 days of
// plausible analytics for two tenants, yesterday's daily report and a few alerts; already signed in. `?state=`
// shows the sections empty, loading or offline instead.
import { utcDay, addDays } from '../../widget/admin/analytics-model.ts';
import { seedAnalytics } from '../widget/fakes/admin-analytics.ts';
import { ADMIN_TOKEN, FakeAdminApi } from '../widget/fakes/admin-api.ts';

const today = utcDay();
const yesterday = addDays(today, -1);
const api = new FakeAdminApi();
const badDay = addDays(today, -9);
seedAnalytics(api.analytics, 'demo', addDays(today, -89), today, { sessions: 180, success: 0.97, badDay });
seedAnalytics(api.analytics, 'acme', addDays(today, -89), today, { sessions: 60, success: 0.95 });

const check = (metric: string, value: number | null, threshold: string, status: 'pass' | 'fail' | 'no_data') => ({
  metric,
  value,
  threshold,
  status,
});
api.reports[yesterday] = {
  date: yesterday,
  generatedAt: `${today}T00:05:12.000Z`,
  health: [
    check('connection_success', 0.962, '>= 0.95', 'pass'),
    check('error_rate', 0.011, '< 0.02', 'pass'),
    check('voice_error_rate', 0.013, '< 0.01', 'fail'),
    check('tts_p95_ms', 1240, '< 1500 ms', 'pass'),
    check('api_p95_ms', 210, '< 300 ms', 'pass'),
    check('cost_usd', 41.3, '<= 60 (daily budget)', 'pass'),
  ],
  features: [
    {
      flag: 'voice.webrtc',
      enabled: true,
      rollout: 25,
      target: 50,
      verdict: 'NO-GO',
      checks: [
        check('connection_success', 0.962, '>= 0.95', 'pass'),
        check('voice_error_rate', 0.013, '< 0.01', 'fail'),
      ],
      reasons: ['Voice errors 1.3% are above the 1% limit for voice.'],
    },
    {
      flag: 'avatar',
      enabled: true,
      rollout: 50,
      target: 75,
      verdict: 'GO',
      checks: [
        check('avatar_success', 0.81, '>= 0.70', 'pass'),
        check('avatar_failure_rate', 0.06, '< 0.10', 'pass'),
        check('cost_usd', 41.3, '<= 60 (daily budget)', 'pass'),
      ],
      reasons: ['Every check passed: widen to 75%.'],
    },
    {
      flag: 'tts',
      enabled: true,
      rollout: 10,
      target: 25,
      verdict: 'GO',
      checks: [check('tts_p95_ms', 1240, '< 1500 ms', 'pass'), check('error_rate', 0.011, '< 0.02', 'pass')],
      reasons: ['Every check passed: widen to 25%.'],
    },
    {
      flag: 'keywords.handoff',
      enabled: true,
      rollout: 100,
      target: null,
      verdict: 'NO-GO',
      checks: [check('error_rate', null, '< 0.02', 'no_data')],
      reasons: ['No handoffs yesterday: nothing shows it is safe, and the flag is fully rolled out already.'],
    },
  ],
};
const at = (daysAgo: number, time: string) => `${addDays(today, -daysAgo)}T${time}.000Z`;
api.alerts = [
  {
    id: 'al-1',
    tenant: 'demo',
    metric: 'voice_error_rate',
    value: 0.013,
    threshold: 0.01,
    openedAt: at(1, '14:20:00'),
    closedAt: null,
    notifiedAt: at(1, '14:20:03'),
  },
  {
    id: 'al-2',
    tenant: null,
    metric: 'avatar_sync_delay_ms',
    value: 1340,
    threshold: 1000,
    openedAt: at(0, '08:05:00'),
    closedAt: null,
    notifiedAt: null,
  },
  {
    id: 'al-3',
    tenant: 'acme',
    metric: 'cost_usd',
    value: 72.4,
    threshold: 60,
    openedAt: at(9, '18:00:00'),
    closedAt: at(8, '00:10:00'),
    notifiedAt: at(9, '18:00:02'),
  },
  {
    id: 'al-4',
    tenant: 'demo',
    metric: 'connection_success',
    value: 0.88,
    threshold: 0.95,
    openedAt: at(9, '09:30:00'),
    closedAt: at(9, '13:45:00'),
    notifiedAt: at(9, '09:30:04'),
  },
];
// ?state=empty: nothing recorded yet; ?state=loading: no answer ever arrives; ?state=offline: none can be reached.
const state = new URLSearchParams(location.search).get('state');
if (state === 'empty') {
  api.analytics = {};
  api.alerts = [];
}
if (state === 'loading') api.holding = true;
api.install();
// After the sign-in check (the flags load with the token): only the sections' own loads fail or wait.
if (state === 'offline') setTimeout(() => (api.offline = true), 300);
sessionStorage.setItem('vb-admin-token', ADMIN_TOKEN);
localStorage.setItem('vb-admin-actor', 'kim');
