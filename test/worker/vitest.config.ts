// Worker tests run inside workerd (the Workers runtime) with real D1 and Durable Objects. The third-party providers
// are local fake servers started here in Node; the Worker reaches them over loopback through its *_BASE_URL settings.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { RTCPeerConnection } from 'werift';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';
import { FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs.js';
import { startWebhookReceiver } from '../fakes/webhook-receiver.js';
import { FAKE_AKOOL_KEY, startFakeAkool } from '../fakes/akool.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A real browser-like SDP offer (audio + the oai-events data channel), made by werift, for the calls tests. */
async function sampleOffer(): Promise<string> {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('audio', { direction: 'sendrecv' });
  pc.createDataChannel('oai-events');
  await pc.setLocalDescription(await pc.createOffer());
  const sdp = pc.localDescription!.sdp;
  await pc.close();
  return sdp;
}

export default defineConfig(async () => {
  mkdirSync(`${root}/dist`, { recursive: true }); // the assets directory named in wrangler.toml
  const migrations = await readD1Migrations(`${root}/worker/migrations`);
  const openai = await startFakeOpenAI({ unref: true });
  const elevenlabs = await startFakeElevenLabs({ unref: true });
  const webhookReceiver = await startWebhookReceiver({ unref: true });
  const akool = await startFakeAkool({ unref: true });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: `${root}/wrangler.toml` },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_SDP_OFFER: await sampleOffer(),
            ADMIN_TOKEN: 'test-admin-token',
            OPENAI_API_KEY: FAKE_OPENAI_KEY,
            OPENAI_BASE_URL: openai.url,
            ELEVENLABS_API_KEY: FAKE_ELEVENLABS_KEY,
            ELEVENLABS_BASE_URL: elevenlabs.url,
            AKOOL_API_KEY: FAKE_AKOOL_KEY,
            AKOOL_BASE_URL: akool.url,
            TICKET_SECRET: 'test-ticket-secret',
            UPSTREAM_TIMEOUT_MS: '1500',
            // A tenant's image service (test/fakes/webhook-receiver.js) for the handoff webhook tests.
            WEBHOOK_RECEIVER_URL: webhookReceiver.url,
          },
        },
      }),
    ],
    test: {
      root,
      include: ['test/worker/**/*.test.ts'],
      setupFiles: ['test/worker/setup.ts'],
      fileParallelism: false,
      testTimeout: 30_000,
    },
  };
});
