// Avatar benchmark page: from "avatar on" (the visitor's click) to the avatar's first video frame. The Worker and
// Akool are the in-page FakeBackend with a simulated round trip and Akool's create time; Agora is the fake client
// with the join's gateway round trips; the Agora SDK chunk itself is the real one (dist/), downloaded over the
// page's (throttled) network exactly when the widget would download it.
import { AvatarHost } from '../../../widget/avatar/host.ts';
import type { VoiceBuddy } from '../../../widget/voice-buddy.ts';
import { FakeAgoraRtc } from '../../widget/fakes/agora.ts';
import { installBackend, mountWidget, part, statusReached, waitFor } from './common.ts';

export interface AvatarRun {
  /** Network round trip to the Worker (and Agora's gateways). */
  rttMs: number;
  /** Round trips a real `join()` makes (AP lookup, gateway WebSocket, join, ICE/DTLS). */
  joinRoundTrips: number;
  /** Akool's own time to create a session, behind the Worker. */
  akoolCreateMs: number;
  /** Akool's time from the viewer's join to the avatar publishing. */
  akoolStartMs: number;
  sdkUrl: string;
}

/** Milliseconds after the click; `fallback` when the widget gave up on the avatar (the reason code). */
export interface AvatarTimings {
  sessionAnswered: number;
  sdkLoaded: number;
  joined: number;
  live: number;
  firstFrame: number;
  fallback?: string;
}

let el: VoiceBuddy | null = null;
let backend: ReturnType<typeof installBackend>['backend'] | null = null;
const marks: Partial<AvatarTimings> = {};
let t0 = 0;

const bench = {
  /** Mounts the widget and starts a conversation (before the network is throttled: only the avatar is measured). */
  async prepare(o: AvatarRun): Promise<void> {
    ({ backend } = installBackend(o.rttMs));
    backend.config = {
      ...backend.config,
      avatar: { available: true },
      flags: { avatar: { enabled: true, reason: 'DEFAULT' } },
    };
    backend.avatarCreateDelayMs = o.akoolCreateMs;
    FakeAgoraRtc.defaults.joinLatencyMs = o.joinRoundTrips * o.rttMs;
    FakeAgoraRtc.avatarDefaults.start = 'on-join';
    FakeAgoraRtc.avatarDefaults.startMs = o.akoolStartMs;
    AvatarHost.overrides = {
      readBudget: () => ({ cores: 8, deviceMemoryGb: 8, downlinkMbps: 10 }),
      createRtc: async () => {
        await import(/* @vite-ignore */ o.sdkUrl); // the real SDK chunk, as agora.ts would load it
        marks.sdkLoaded = performance.now() - t0;
        const rtc = new FakeAgoraRtc();
        const join = rtc.join.bind(rtc);
        rtc.join = async (...args) => {
          const uid = await join(...args);
          marks.joined = performance.now() - t0;
          return uid;
        };
        return rtc;
      },
    };
    el = await mountWidget({ mode: 'hands-free' });
    const listening = statusReached(el, 'listening');
    part<HTMLButtonElement>(el, 'connect-button')!.click();
    await listening;
  },

  /** The visitor turns the avatar on; resolves at its first frame. */
  async avatarOn(): Promise<AvatarTimings> {
    const element = el!;
    let fallback: string | undefined;
    element.addEventListener('voice-buddy-avatar', (e) => {
      if (e.detail.type === 'started') marks.live = performance.now() - t0;
      if (e.detail.type === 'fallback') fallback = e.detail.reason;
    });
    const fake = backend!;
    const created = fake.avatarAnswers.length;
    t0 = performance.now();
    part<HTMLButtonElement>(element, 'avatar-button')!.click();
    await waitFor(() => fake.avatarAnswers.length > created, 'no avatar session', 30_000);
    marks.sessionAnswered = performance.now() - t0;
    await waitFor(
      () => fallback !== undefined || Boolean(part(element, 'avatar')?.querySelector('video')),
      'no avatar video',
      30_000,
    );
    if (fallback) {
      element.disconnect();
      return { ...(marks as AvatarTimings), fallback };
    }
    const video = part(element, 'avatar')!.querySelector('video')!;
    // The first frame is there to show (HAVE_CURRENT_DATA): what the visitor sees.
    await waitFor(
      () => video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA,
      'the avatar video shows no frame',
      30_000,
    );
    marks.firstFrame = performance.now() - t0;
    await waitFor(() => marks.live !== undefined, 'the avatar did not report started', 30_000);
    element.disconnect();
    return marks as AvatarTimings;
  },
};

declare global {
  interface Window {
    benchAvatar: typeof bench;
  }
}
window.benchAvatar = bench;
