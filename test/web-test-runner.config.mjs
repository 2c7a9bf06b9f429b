// Widget tests: real headless Chromium with fake media devices; TypeScript compiled by esbuild on the fly.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { build } from 'esbuild';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';
import { fakeRelayPlugin } from './fakes/relay-plugin.js';

/**
 * The Agora SDK's ESM build imports CommonJS (ua-parser-js), which a browser cannot load as it is: serve it bundled,
 * as vite does in the real build. Only the avatar test that loads the real SDK asks for it.
 */
function agoraSdkBundle() {
  const entry = new URL('../node_modules/agora-rtc-sdk-ng/esm/AgoraRTC_N-production.esm-bundler.mjs', import.meta.url)
    .pathname;
  let bundled;
  return {
    name: 'agora-sdk-bundle',
    async serve(context) {
      if (!context.path.endsWith('/agora-rtc-sdk-ng/esm/AgoraRTC_N-production.esm-bundler.mjs')) return undefined;
      bundled ??= build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      }).then((r) => r.outputFiles[0].text);
      return { body: await bundled, type: 'js' };
    },
  };
}

const executablePath = findChromium();
const relay = fakeRelayPlugin();

export default {
  rootDir: new URL('..', import.meta.url).pathname,
  files: ['widget/**/*.test.ts', 'test/widget/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 240_000,
  testFramework: { config: { timeout: 20_000 } },
  // nanostores' development build reads process.env.NODE_ENV, as bundlers define it.
  testRunnerHtml: (
    testFramework,
  ) => `<!doctype html><html><head><script>window.process = { env: { NODE_ENV: 'development' } };</script></head>
    <body><script type="module" src="${testFramework}"></script></body></html>`,
  middleware: [relay.middleware, relay.middlewareSse, relay.middlewareEvents],
  plugins: [relay, agoraSdkBundle(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'widget/tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
