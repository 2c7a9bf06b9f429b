import { expect } from '@open-wc/testing';
import { AVATAR_BUDGET, browserBudgetReader, checkBudget } from './budget.ts';

describe('avatar performance budget', () => {
  it('passes a capable device and checks only what the browser reports', () => {
    expect(checkBudget({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 })).to.deep.equal({ ok: true });
    expect(checkBudget({})).to.deep.equal({ ok: true });
    expect(
      checkBudget({ cores: 4, deviceMemoryGb: 4, downlinkMbps: 2 }),
      'the thresholds themselves pass',
    ).to.deep.equal({ ok: true });
  });

  it('refuses too few cores, too little memory and a slow connection, saying why', () => {
    const cores = checkBudget({ cores: 2 });
    expect(cores).to.include({ ok: false, reason: 'cpu' });
    expect(cores.ok || cores.message).to.contain('2 processor cores');
    expect(checkBudget({ cores: 8, deviceMemoryGb: 2 })).to.include({ ok: false, reason: 'memory' });
    const slow = checkBudget({ downlinkMbps: 1.5 });
    expect(slow).to.include({ ok: false, reason: 'network' });
    expect(slow.ok || slow.message).to.contain(`${AVATAR_BUDGET.minDownlinkMbps}`);
  });

  it('while on: dropped frames and heap growth past 150 MB count against it', () => {
    expect(checkBudget({ droppedFrameRatio: 0.5 })).to.include({ ok: false, reason: 'cpu' });
    expect(checkBudget({ droppedFrameRatio: 0.1 })).to.deep.equal({ ok: true });
    expect(checkBudget({ heapMb: 300 }, 100)).to.include({ ok: false, reason: 'memory' });
    expect(checkBudget({ heapMb: 200 }, 100)).to.deep.equal({ ok: true });
    expect(checkBudget({ heapMb: 900 }), 'without a start value the heap is not judged').to.deep.equal({ ok: true });
  });

  it('reads what this browser reports', () => {
    const reading = browserBudgetReader()();
    expect(reading.cores).to.equal(navigator.hardwareConcurrency);
    expect(reading).to.not.have.property('droppedFrameRatio');
  });
});
