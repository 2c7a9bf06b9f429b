import { expect, waitUntil } from '@open-wc/testing';
import { FakeAgoraRtc } from '../../test/widget/fakes/agora.ts';
import type { AvatarSessionResponse } from '../../worker/api-types.ts';
import { AvatarController, type AvatarOptions } from './controller.ts';

const GOOD_DEVICE = () => ({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 });

/** The Worker's avatar routes, in memory; `create` can be held back to test a stop in the middle. */
function fakeApi() {
  const api = {
    created: [] as string[],
    closed: [] as string[],
    hold: null as Promise<void> | null,
    async createAvatarSession(): Promise<AvatarSessionResponse> {
      if (api.hold) await api.hold;
      const sessionId = `av_${api.created.length + 1}`;
      api.created.push(sessionId);
      return { sessionId, agora: { appId: 'app', channel: `ch_${sessionId}`, token: 'tok', uid: 7 }, expiresAt: Date.now() / 1000 + 600 };
    },
    async closeAvatarSession(id: string) {
      api.closed.push(id);
      return {};
    },
    avatarCloseUrl: (id: string) => `https://api.test/v1/avatar/session/${id}/close?key=pk_test`,
  };
  return api;
}

function setup(over: Partial<AvatarOptions> = {}) {
  const container = document.createElement('div');
  document.body.append(container);
  const api = fakeApi();
  const rtc = new FakeAgoraRtc();
  const muted: boolean[] = [];
  const notices: string[] = [];
  const avatar = new AvatarController({
    container, api, uid: 'v_1', muteModel: (m) => muted.push(m), notice: (t) => notices.push(t), createRtc: () => rtc,
    strict: true, readBudget: GOOD_DEVICE, joinTimeoutMs: 300, publishTimeoutMs: 300, checkIntervalMs: 60_000, ...over,
  });
  const fallbacks: string[] = [];
  const states: string[] = [];
  avatar.on('fallback', ({ reason }) => fallbacks.push(reason));
  avatar.on('state', ({ to }) => states.push(to));
  // Off is also where it starts: wait for the off that ends the run.
  const done = () => waitUntil(() => states.at(-1) === 'off', `still ${avatar.state}`, { timeout: 3000 });
  return { avatar, api, rtc, muted, notices, fallbacks, states, container, done };
}

describe('AvatarController', () => {
  afterEach(() => FakeAgoraRtc.reset());

  it('a join that hangs fails after the deadline: left, session closed, the model never muted', async () => {
    const t = setup();
    t.rtc.joinBehaviour = 'hang';
    await t.done();
    expect(t.fallbacks).to.deep.equal(['avatar_join_timeout']);
    expect(t.states).to.deep.equal(['checking', 'connecting', 'error', 'closed', 'off']);
    expect(t.rtc.leaves).to.equal(1);
    expect(t.api.closed).to.deep.equal(['av_1']);
    expect(t.muted).to.not.include(true);
    expect(t.notices[0]).to.contain('could not connect within a few seconds');
    expect(t.container.childElementCount).to.equal(0);
  });

  it('a join that is refused fails at once; an avatar that never publishes fails after its deadline', async () => {
    const refused = setup();
    refused.rtc.joinBehaviour = Object.assign(new Error('CAN_NOT_GET_GATEWAY_SERVER'), { code: 'CAN_NOT_GET_GATEWAY_SERVER' });
    await refused.done();
    expect(refused.fallbacks).to.deep.equal(['avatar_join_failed']);
    expect(refused.api.closed).to.deep.equal(['av_1']);

    const absent = setup();
    absent.rtc.avatarPublishes = false;
    await absent.done();
    expect(absent.fallbacks).to.deep.equal(['avatar_not_published']);
    expect(absent.rtc.joined).to.equal(false);
  });

  it('turned off while the Worker creates the session: the session is closed when it arrives, never joined', async () => {
    let release!: () => void;
    const t = setup();
    t.api.hold = new Promise((r) => (release = r));
    await waitUntil(() => t.avatar.state === 'checking');
    await t.avatar.stop();
    expect(t.avatar.state).to.equal('off');
    release();
    await waitUntil(() => t.api.closed.length === 1);
    expect(t.api.closed).to.deep.equal(['av_1']);
    expect(t.rtc.joins).to.have.length(0);
    expect(t.fallbacks).to.deep.equal([]);
  });

  it('reconnecting shows as degraded and recovers; a dropped connection or an expired token falls back', async () => {
    const t = setup();
    await waitUntil(() => t.avatar.state === 'ready');
    t.rtc.emit('connection-state-change', 'RECONNECTING', 'CONNECTED', 'NETWORK_ERROR');
    expect(t.avatar.state).to.equal('degraded');
    expect(t.container.querySelector('[role="status"]')!.textContent).to.equal('Reconnecting the avatar…');
    t.rtc.emit('connection-state-change', 'CONNECTED', 'RECONNECTING');
    expect(t.avatar.state).to.equal('ready');
    t.rtc.emit('connection-state-change', 'DISCONNECTED', 'CONNECTED', 'NETWORK_ERROR');
    await t.done();
    expect(t.fallbacks).to.deep.equal(['avatar_connection_lost']);
    expect(t.muted).to.deep.equal([true, false]);

    const expired = setup();
    await waitUntil(() => expired.avatar.state === 'ready');
    expired.rtc.emit('token-privilege-did-expire');
    await expired.done();
    expect(expired.fallbacks).to.deep.equal(['avatar_token_expired']);
  });

  it('over budget while on (dropped frames) lowers the quality with the reason', async () => {
    let reading: ReturnType<typeof GOOD_DEVICE> & { droppedFrameRatio?: number } = GOOD_DEVICE();
    const t = setup({ checkIntervalMs: 50, readBudget: () => reading });
    const qualities: string[] = [];
    t.avatar.on('quality-changed', ({ quality }) => qualities.push(quality));
    await waitUntil(() => t.avatar.state === 'ready');
    reading = { ...GOOD_DEVICE(), droppedFrameRatio: 0.6 };
    await waitUntil(() => qualities.length === 1);
    expect(qualities).to.deep.equal(['medium']);
    expect(t.notices[0]).to.contain('cannot keep up');
    reading = GOOD_DEVICE();
    await new Promise((r) => setTimeout(r, 150));
    expect(qualities, 'back within budget: no further step').to.deep.equal(['medium']);
    await t.avatar.stop();
    expect(t.api.closed).to.deep.equal(['av_1']);
  });
});
