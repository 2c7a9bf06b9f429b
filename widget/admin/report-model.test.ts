import { expect } from '@open-wc/testing';
import type { AlertEpisode } from './api.ts';
import * as r from './report-model.ts';

const alert = (id: string, openedAt: string, closedAt: string | null = null): AlertEpisode => ({
  id,
  tenant: 'demo',
  metric: 'error_rate',
  value: 0.072,
  threshold: 0.02,
  openedAt,
  closedAt,
  notifiedAt: null,
});

describe('report and alerts wording', () => {
  it('names the metrics of the rollout plan and shows an unknown one as it is', () => {
    expect(r.metricLabel('tts_p95_ms')).to.equal('Voice synthesis p95');
    expect(r.metricLabel('connection_success')).to.equal('Connection success');
    expect(r.metricLabel('queue_depth')).to.equal('queue_depth');
  });

  it('formats a value in the unit its id names', () => {
    expect(r.formatMetric('tts_p95_ms', 1620)).to.equal('1.6 s');
    expect(r.formatMetric('api_p95_ms', 240)).to.equal('240 ms');
    expect(r.formatMetric('cost_usd', 41.5)).to.equal('$41.50');
    expect(r.formatMetric('connection_success', 0.962)).to.equal('96.2%');
    expect(r.formatMetric('avatar_failure_rate', 0.12)).to.equal('12.0%');
    expect(r.formatMetric('queue_depth', 12)).to.equal('12');
    expect(r.formatMetric('queue_depth', 1.2345)).to.equal('1.23');
    expect(r.formatMetric('error_rate', null)).to.equal('no data');
    expect(r.alertValue(alert('a', '2026-11-30T10:00:00Z'))).to.equal('7.2% (threshold 2.0%)');
  });

  it('writes a rollout with its target', () => {
    expect(r.rolloutText(25, 50)).to.equal('25% → 50%');
    expect(r.rolloutText(100, null)).to.equal('100%');
    expect(r.rolloutText(50, 50)).to.equal('50%');
  });

  it('writes times short and durations in words', () => {
    expect(r.formatWhen('2026-11-23T18:00:00Z', 'UTC')).to.equal('Nov 23, 2026, 6:00 PM');
    expect(r.formatDuration('2026-11-23T18:00:00Z', '2026-11-23T18:45:10Z')).to.equal('45 min');
    expect(r.formatDuration('2026-11-23T18:00:00Z', '2026-11-24T00:10:00Z')).to.equal('6 h 10 min');
    expect(r.formatDuration('2026-11-23T18:00:00Z', '2026-11-23T20:00:00Z')).to.equal('2 h');
    expect(r.formatDuration('2026-11-21T18:00:00Z', '2026-11-23T21:00:00Z')).to.equal('2 d 3 h');
  });

  it('puts open alerts first, each group newest first', () => {
    const sorted = r.sortAlerts([
      alert('closed-old', '2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z'),
      alert('open-old', '2026-11-02T00:00:00Z'),
      alert('closed-new', '2026-11-20T00:00:00Z', '2026-11-20T01:00:00Z'),
      alert('open-new', '2026-11-25T00:00:00Z'),
    ]);
    expect(sorted.map((a) => a.id)).to.deep.equal(['open-new', 'open-old', 'closed-new', 'closed-old']);
  });
});
