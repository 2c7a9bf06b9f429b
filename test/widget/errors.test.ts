import { expect, waitUntil } from '@open-wc/testing';
import { WebRtcTransport } from '../../widget/realtime/webrtc.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { FakeBackend, openAIError, workerError } from './fakes/backend.ts';
import { connected, mount, part, recordErrors, transcriptTexts } from './helpers.ts';

/** Replaces getUserMedia with one that fails as the browser does, for the length of a test. */
function failGetUserMedia(name: string) {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused', name));
  return () => {
    navigator.mediaDevices.getUserMedia = original;
  };
}

async function connectAndExpectError(el: VoiceBuddy, code: string) {
  const errors = recordErrors(el);
  await el.connect();
  await waitUntil(() => errors.length > 0, `no error event for ${code}`);
  expect(errors[0]!.code).to.equal(code);
  expect(el.status).to.equal('error');
  await el.updateComplete;
  const box = part(el, 'error')!;
  expect(box.getAttribute('role')).to.equal('alert');
  expect(box.textContent).to.contain(errors[0]!.message);
  expect(transcriptTexts(el, 'notice'), 'the error is shown once, in its box').not.to.include(errors[0]!.message);
  return errors[0]!;
}

describe('errors a visitor can act on', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  it('microphone permission denied: explains how to re-allow, offers retry, and retry works', async () => {
    const restore = failGetUserMedia('NotAllowedError');
    const el = await mount();
    let err;
    try {
      err = await connectAndExpectError(el, 'mic_permission_denied');
    } finally {
      restore();
    }
    expect(err.message).to.match(/address bar/);
    expect(err.message).to.match(/Retry/);
    expect(backend.count('/v1/realtime/session')).to.equal(0);
    part<HTMLButtonElement>(el, 'retry-button')!.click();
    await waitUntil(() => el.status === 'listening', 'retry did not connect');
    el.disconnect();
  });

  it('no microphone and microphone busy have their own messages', async () => {
    let restore = failGetUserMedia('NotFoundError');
    const el = await mount();
    try {
      const e = await connectAndExpectError(el, 'mic_not_found');
      expect(e.message).to.match(/No microphone/);
    } finally {
      restore();
    }
    restore = failGetUserMedia('NotReadableError');
    try {
      const e = await connectAndExpectError(el, 'mic_busy');
      expect(e.message).to.match(/another app/);
    } finally {
      restore();
    }
  });

  it("an error answer to the offer is never parsed as SDP; the visitor reads our sentence, never OpenAI's", async () => {
    backend.config = { ...backend.config, modes: ['webrtc'] }; // hands-free only: no fallback to hide the error
    // The Worker could not create the call: its own code and message.
    backend.callsReplies.push(workerError(502, 'provider_rejected', 'OpenAI rejected the request (400)'));
    const el = await mount();
    const e = await connectAndExpectError(el, 'provider_rejected');
    expect(e.message).not.to.contain('400');
    // A tenant on browser keys posts to OpenAI itself: OpenAI's developer wording stays out of the widget.
    backend.clientSecretGrants = true;
    backend.callsReplies.push(openAIError(400, 'Invalid SDP offer: m-line missing'));
    const e2 = await connectAndExpectError(el, 'sdp_error');
    expect(e2.message).not.to.contain('Invalid SDP offer');
    // Nothing is left open after the failures.
    expect(backend.peers).to.have.length(0);
  });

  it('a bootstrap failure is reported with the server code, and retry loads it again', async () => {
    backend.bootstrapReply = workerError(403, 'origin_not_allowed', "Origin https://x is not on this site's allowlist");
    const errors = recordErrors(document);
    const el = await mount();
    expect(errors.map((e) => e.code)).to.include('origin_not_allowed');
    expect(el.status).to.equal('error');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain("isn't available on this page");
    // Not retryable: a misconfigured site does not fix itself.
    expect(part(el, 'retry-button')).to.equal(null);

    backend.bootstrapReply = () => Promise.reject(new TypeError('Failed to fetch'));
    const el2 = await mount();
    expect(el2.store.$error.get()!.code).to.equal('bootstrap_failed');
    backend.bootstrapReply = null;
    part<HTMLButtonElement>(el2, 'retry-button')!.click();
    await waitUntil(() => el2.store.$config.get() !== null, 'retry did not load the config');
    expect(el2.store.$error.get()).to.equal(null);
  });

  it('an expired key gets one fresh key; a second refusal is reported as key_expired', async () => {
    backend.config = { ...backend.config, modes: ['webrtc'] }; // hands-free only: no fallback to hide the error
    backend.callsReplies.push(openAIError(401, 'Ephemeral key expired'));
    const el = await mount();
    await connected(el);
    expect(backend.count('/v1/realtime/session')).to.equal(2);
    el.disconnect();

    backend.callsReplies.push(openAIError(401, 'Ephemeral key expired'), openAIError(401, 'Ephemeral key expired'));
    const e = await connectAndExpectError(el, 'key_expired');
    expect(e.message).to.match(/expired/);
  });

  it('quota and rate limits from the Worker are explained', async () => {
    backend.sessionReplies.push(
      workerError(402, 'quota_exceeded', 'This site has used all 100 voice sessions for 2026-11'),
    );
    const el = await mount();
    const e = await connectAndExpectError(el, 'quota_exceeded');
    expect(e.message).to.match(/limit for this month/);
  });

  it('ICE that never connects times out as datachannel_timeout with nothing left open', async () => {
    backend.config = { ...backend.config, modes: ['webrtc'] }; // hands-free only: no fallback to hide the error
    backend.blockIce = true;
    const previous = WebRtcTransport.openTimeoutMs;
    WebRtcTransport.openTimeoutMs = 600;
    try {
      const el = await mount();
      await connectAndExpectError(el, 'datachannel_timeout');
      expect(el.store.$level.get()).to.equal(0);
    } finally {
      WebRtcTransport.openTimeoutMs = previous;
    }
  });

  it('shows the microphone permission the browser reports, and follows its changes', async () => {
    // A PermissionStatus as Chromium hands it out: an EventTarget whose state changes with a change event.
    const status = Object.assign(new EventTarget(), {
      state: 'prompt',
      name: 'microphone',
      onchange: null,
    });
    const permissions = navigator.permissions;
    const original = permissions.query.bind(permissions);
    permissions.query = (d: PermissionDescriptor) =>
      d.name === ('microphone' as PermissionName)
        ? Promise.resolve(status as unknown as PermissionStatus)
        : original(d);
    try {
      const el = await mount();
      await waitUntil(() => part(el, 'mic-permission') !== null, 'no permission state shown');
      expect(part(el, 'mic-permission')!.textContent).to.match(/will ask/);
      status.state = 'denied';
      status.dispatchEvent(new Event('change'));
      await waitUntil(() => /blocked/.test(part(el, 'mic-permission')!.textContent ?? ''), 'a change was not followed');
      expect(part(el, 'mic-permission')!.textContent).to.match(/address bar/);
      expect(part(el, 'mic-permission')!.dataset['state']).to.equal('denied');
      status.state = 'granted';
      status.dispatchEvent(new Event('change'));
      await waitUntil(() => /allowed/.test(part(el, 'mic-permission')!.textContent ?? ''), 'granted was not shown');
      // Text mode needs no microphone, so it says nothing about it.
      el.setAttribute('mode', 'text');
      await waitUntil(() => part(el, 'mic-permission') === null, 'text mode still shows the microphone');
      // Removing the element stops listening to the permission.
      el.remove();
      status.state = 'prompt';
      status.dispatchEvent(new Event('change'));
      expect(el.store.$micPermission.get()).to.equal('granted');
    } finally {
      permissions.query = original;
    }
  });
});
