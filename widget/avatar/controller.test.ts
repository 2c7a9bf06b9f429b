import { expect, waitUntil } from '@open-wc/testing';
import { FakeAgoraRtc, FakeAgoraTokens } from '../../test/widget/fakes/agora.ts';
import type { AvatarCredentialsResponse, AvatarSessionResponse } from '../../worker/api-types.ts';
import { errorPolicy } from '../contract/errors.ts';
import { AvatarController, type AvatarOptions } from './controller.ts';

const GOOD_DEVICE = () => ({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 });

/** The Worker's avatar routes, in memory; `create` can be held back to test a stop in the middle. */
function fakeApi() {
  const agora = (sessionId: string) => ({
    appId: 'app',
    channel: `ch_${sessionId}`,
    token: FakeAgoraTokens.issue(`ch_${sessionId}`, 7, api.tokenTtlMs),
    uid: 7,
  });
  const api = {
    created: [] as string[],
    closed: [] as string[],
    renewals: [] as string[],
    hold: null as Promise<void> | null,
    tokenTtlMs: 300_000,
    /** Scripted failures of the next credentials requests. */
    renewFailures: [] as Error[],
    async createAvatarSession(): Promise<AvatarSessionResponse> {
      if (api.hold) await api.hold;
      const sessionId = `av_${api.created.length + 1}`;
      api.created.push(sessionId);
      return { sessionId, agora: agora(sessionId), expiresAt: Date.now() / 1000 + 600, readyTimeoutMs: 300 };
    },
    async avatarCredentials(sessionId: string): Promise<AvatarCredentialsResponse> {
      api.renewals.push(sessionId);
      const failure = api.renewFailures.shift();
      if (failure) throw failure;
      return { sessionId, agora: agora(sessionId), status: 'ready' };
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
    container,
    api,
    uid: 'v_1',
    refused: (code) => !errorPolicy(code).restart,
    muteModel: (m) => muted.push(m),
    notice: (t) => notices.push(t),
    createRtc: () => rtc,
    strict: true,
    readBudget: GOOD_DEVICE,
    joinTimeoutMs: 600,
    checkIntervalMs: 60_000,
    renewBackoffMs: [50, 50],
    ...over,
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
    refused.rtc.joinBehaviour = Object.assign(new Error('CAN_NOT_GET_GATEWAY_SERVER'), {
      code: 'CAN_NOT_GET_GATEWAY_SERVER',
    });
    await refused.done();
    expect(refused.fallbacks).to.deep.equal(['avatar_join_failed']);
    expect(refused.api.closed).to.deep.equal(['av_1']);

    const absent = setup();
    absent.rtc.behaviour.publishes = false;
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

  it('renews the Agora token with fresh credentials before each expiry, across several token lifetimes', async () => {
    const t = setup();
    t.api.tokenTtlMs = 900;
    t.rtc.tokenWarnBeforeMs = 300; // Agora warns 30 s before a 5-minute token expires: scaled down
    await waitUntil(() => t.avatar.state === 'ready');
    const first = t.rtc.joins[0]!.token!;
    await new Promise((r) => setTimeout(r, 3000)); // more than three lifetimes
    expect(t.rtc.expired, 'never expired').to.equal(0);
    expect(t.rtc.renewals.length).to.be.at.least(3);
    expect(new Set([first, ...t.rtc.renewals]).size, 'a new token each time').to.equal(t.rtc.renewals.length + 1);
    expect(t.api.renewals.every((id) => id === 'av_1')).to.equal(true);
    expect(t.avatar.state).to.equal('ready');
    expect(t.rtc.joined).to.equal(true);
    expect(t.fallbacks).to.deep.equal([]);
    await t.avatar.stop();
  });

  it('a renewal that keeps failing ends the avatar when the token expires; a session Akool ended ends it at once', async () => {
    const t = setup();
    t.api.tokenTtlMs = 800;
    t.rtc.tokenWarnBeforeMs = 300;
    t.api.renewFailures = [0, 1, 2].map(() => Object.assign(new Error('offline'), { code: 'avatar_renew_failed' }));
    await waitUntil(() => t.avatar.state === 'ready');
    await t.done();
    expect(t.api.renewals).to.have.length(3);
    expect(t.rtc.expired).to.equal(1);
    expect(t.fallbacks).to.deep.equal(['avatar_token_expired']);
    expect(t.muted).to.deep.equal([true, false]);

    const gone = setup();
    gone.api.tokenTtlMs = 800;
    gone.rtc.tokenWarnBeforeMs = 300;
    gone.api.renewFailures = [Object.assign(new Error('over'), { code: 'avatar_session_gone' })];
    await gone.done();
    expect(gone.fallbacks).to.deep.equal(['avatar_left']);
    expect(gone.rtc.expired).to.equal(0);
  });

  it('joins right after the session exists, whether Akool starts the avatar for the viewer or on its own', async () => {
    for (const start of ['on-join', 'on-own'] as const) {
      const t = setup();
      t.rtc.behaviour.start = start;
      await waitUntil(() => t.avatar.state === 'ready', `${start}: not ready`, { timeout: 3000 });
      expect(t.rtc.joins).to.have.length(1);
      await t.avatar.stop();
    }
  });

  it('speaking follows the avatar’s audio_start and audio_end, not an estimate', async () => {
    const t = setup();
    t.rtc.behaviour.speechDelayMs = 150;
    t.rtc.behaviour.msPerChar = 20;
    await waitUntil(() => t.avatar.state === 'ready');
    t.avatar.onAssistantDelta({ responseId: 'r1', itemId: 'i1', delta: 'Hello there. ', source: 'text' });
    t.avatar.onReplyDone('r1');
    expect(t.avatar.state, 'sent, not yet spoken').to.equal('thinking');
    await waitUntil(() => t.avatar.state === 'speaking');
    expect(t.rtc.received.some((m) => (m as { pld: { event?: string } }).pld.event === 'audio_start')).to.equal(true);
    await waitUntil(() => t.avatar.state === 'ready', 'audio_end did not end it', { timeout: 2000 });
    expect(t.states.filter((s) => ['thinking', 'speaking', 'ready'].includes(s)).slice(-3)).to.deep.equal([
      'thinking',
      'speaking',
      'ready',
    ]);
    await t.avatar.stop();
  });

  it('reports its sync delay: from a reply’s first text to the avatar beginning to say it, once per reply', async () => {
    const t = setup();
    t.rtc.behaviour.speechDelayMs = 400;
    t.rtc.behaviour.msPerChar = 5;
    const syncs: number[] = [];
    t.avatar.on('sync', ({ ms }) => syncs.push(ms));
    await waitUntil(() => t.avatar.state === 'ready');
    t.avatar.onAssistantDelta({ responseId: 'r1', itemId: 'i1', delta: 'A wolf. ', source: 'text' });
    t.avatar.onAssistantDelta({ responseId: 'r1', itemId: 'i1', delta: 'Under the moon. ', source: 'text' });
    t.avatar.onReplyDone('r1');
    await waitUntil(() => t.avatar.state === 'ready' && syncs.length > 0, 'never spoke', { timeout: 3000 });
    expect(syncs).to.have.length(1);
    // The fake starts speaking 400 ms after a sentence arrives (and the queue paces what it sends).
    expect(syncs[0]).to.be.within(400, 1500);
    await t.avatar.stop();
  });

  it('an avatar that never starts to speak falls back to audio only: the model speaks again, the video goes', async () => {
    const t = setup({ speechStartTimeoutMs: 300 });
    t.rtc.behaviour.silent = true;
    await waitUntil(() => t.avatar.state === 'ready');
    t.avatar.onAssistantDelta({ responseId: 'r1', itemId: 'i1', delta: 'Are you there? ', source: 'text' });
    await t.done();
    expect(t.fallbacks).to.deep.equal(['avatar_silent']);
    expect(t.muted).to.deep.equal([true, false]);
    expect(t.rtc.unsubscribed).to.include('video');
    expect(t.notices.at(-1)).to.contain('stopped speaking');
  });

  it('logs a command acknowledgement other than 1000, and falls back when it says the session is gone', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const busy = setup();
      busy.rtc.behaviour.ackCode = 1005;
      await waitUntil(() => busy.avatar.state === 'ready');
      busy.avatar.onBargeIn();
      await waitUntil(() => warnings.some((w) => w.includes('interrupt with code 1005')));
      expect(busy.avatar.state, 'a refused interrupt is not the end').to.equal('ready');
      await busy.avatar.stop();

      const gone = setup();
      gone.rtc.behaviour.ackCode = 1219;
      await waitUntil(() => gone.avatar.state === 'ready');
      gone.avatar.onBargeIn();
      await gone.done();
      expect(gone.fallbacks).to.deep.equal(['avatar_refused']);
      expect(gone.muted).to.deep.equal([true, false]);
    } finally {
      console.warn = warn;
    }
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
