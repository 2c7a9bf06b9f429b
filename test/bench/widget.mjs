// Issue 3, the widget: bundle sizes from dist/, click-to-connected against the in-page fake OpenAI peer with and
// without prewarm, and the JS heap across connect/disconnect cycles after forced GC (DevTools protocol).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { kib, median, ms, num, percentile, summaryRow, table } from './report.mjs';
import { ROOT } from './support.mjs';

export const title = 'Widget (issue 3)';

/** Issue 17, a lighter start-up: the IIFE within 24 KB gzip -9 (it was 30 KB). */
const IIFE_BUDGET = 24 * 1024;
/** gzip -9 bytes of the start-up bundles at 541dd82, the commit before the catalogues (issue 13's 1 KB target). */
const BEFORE_I18N = { es: 36_845, iife: 36_461 };
/** gzip -9 bytes of the start-up bundles at 2632028, before issue 17 moved the conversation's machinery out. */
const BEFORE_LIGHTER = { es: 37_702, iife: 37_345 };
/**
 * gzip -9 bytes of each lazy chunk at 2632028 (built there with `vite build`), by chunk name without its hash. The
 * conversation's machinery had no chunk of its own: it was in the start-up bundle.
 */
const BEFORE_LIGHTER_CHUNKS = {
  agora: 335_533,
  'audio.worklet': 4_184,
  'avatar.lazy': 7_790,
  'design-parts': 7_235,
  'design.lazy': 369,
  'keywords.lazy': 18_863,
  'pcm.lazy': 2_437,
  'rolldown-runtime': 428,
  sentences: 831,
  'speech.lazy': 2_670,
  'telemetry.lazy': 1_580,
  ...{ 'ar.lazy': 3_723, 'de.lazy': 3_484, 'es.lazy': 3_280, 'fr.lazy': 3_399, 'he.lazy': 3_452, 'hi.lazy': 3_857 },
  ...{ 'it.lazy': 3_275, 'ja.lazy': 3_727, 'ko.lazy': 3_595, 'nl.lazy': 3_289, 'pl.lazy': 3_492, 'pt.lazy': 3_198 },
  ...{ 'tr.lazy': 3_272, 'zh.lazy': 3_409 },
};
/** A chunk's name without the hash Vite adds: `voice-buddy-design-parts-DJCGspbQ.js` -> `design-parts`. */
const chunkName = (file) =>
  /voice-buddy-([a-z]+(?:\.(?:lazy|worklet))?(?:-(?:parts|runtime|labels))?)-/.exec(file)?.[1] ?? file;
const beforeLighter = (file) => {
  if (file.endsWith('voice-buddy.js')) return BEFORE_LIGHTER.es;
  if (file.endsWith('voice-buddy.iife.js')) return BEFORE_LIGHTER.iife;
  return BEFORE_LIGHTER_CHUNKS[chunkName(file)];
};
const CONNECTS = 20;
const RTTS = [0, 50];
const CYCLES = 10;
const HEAP_TARGET = 1024 * 1024;

export function sizeOf(relative) {
  const path = join(ROOT, relative);
  if (!statSync(path, { throwIfNoEntry: false })) return null;
  const bytes = readFileSync(path);
  return {
    file: relative,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export const chunkFiles = () => {
  const dir = join(ROOT, 'dist/chunks');
  return statSync(dir, { throwIfNoEntry: false })
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => `dist/chunks/${f}`)
    : [];
};

/** The catalogues (widget/i18n/lang/<language>.lazy.ts): each is fetched by a widget that shows that language. */
const CATALOGUE = /voice-buddy-([a-z]{2})\.lazy-/;
/** The keyword label tables (widget/keywords/labels/<language>-labels.ts), fetched by the design parts. */
const LABELS = /voice-buddy-([a-z]{2})-labels-/;
const loadedWhen = (file) => {
  if (file.includes('audio.worklet')) return 'push-to-talk only, on demand';
  if (file.includes('conversation.lazy')) return 'the visitor acts (Start, a message) or hovers Start';
  const when = {
    agora: 'the avatar is turned on (Agora SDK)',
    'avatar.lazy': 'the avatar is turned on',
    'design-parts': 'the first keywords or concepts',
    'design.lazy': 'the first keywords or concepts',
    describe: 'the first keywords (design notes)',
    labels: 'the first keywords (design notes, keyword labels)',
    'keywords.lazy': 'the first keyword tool call',
    'speech.lazy': 'spoken replies (TTS mode)',
    'pcm.lazy': 'a push-to-talk conversation starts',
    sentences: 'spoken replies or the avatar',
    'telemetry.lazy': 'after bootstrap, when the site has telemetry on',
  }[chunkName(file)];
  if (when) return when;
  const labels = LABELS.exec(file)?.[1];
  if (labels) return `keyword labels "${labels}", when a design part shows keywords`;
  const lang = CATALOGUE.exec(file)?.[1];
  return lang ? `catalogue "${lang}", when shown` : 'lazy chunk, on demand';
};

function sizes() {
  const files = [
    ['dist/voice-buddy.js', 'start-up (ES module)'],
    ['dist/voice-buddy.iife.js', 'start-up (classic <script>)'],
    ...chunkFiles().map((f) => [f, loadedWhen(f)]),
  ];
  const rows = [];
  let iife = null;
  for (const [file, when] of files) {
    const s = sizeOf(file);
    if (!s) {
      rows.push([file, when, 'missing', '', '', '', '']);
      continue;
    }
    if (file.endsWith('.iife.js')) iife = s;
    const before = beforeLighter(file);
    rows.push([file, when, num(s.raw), num(s.gzip), kib(s.gzip), num(s.brotli), before ? num(before) : 'new']);
  }
  const catalogues = rows.filter((r) => String(r[1]).startsWith('catalogue'));
  table(
    'Bundle sizes (dist/, as built by npm run build)',
    ['file', 'loaded', '>raw bytes', '>gzip -9 bytes', '>gzip', '>brotli bytes', '>gzip -9 before issue 17'],
    rows,
    [
      `Budget (issue 17): IIFE <= 24 KB gzip (${num(IIFE_BUDGET)} bytes)${iife ? `: ${kib(iife.gzip)} (${num((iife.gzip / IIFE_BUDGET) * 100)}% of it)` : ': no IIFE built'}.`,
      `Languages: English is in the start-up bundle; ${catalogues.length} catalogues load on demand (one per language a widget shows).`,
      `Start-up before the languages (541dd82): ES ${num(BEFORE_I18N.es)}, IIFE ${num(BEFORE_I18N.iife)} gzip -9 bytes; target: within +1 KB.`,
      `Start-up before issue 17 (2632028): ES ${num(BEFORE_LIGHTER.es)}, IIFE ${num(BEFORE_LIGHTER.iife)} gzip -9 bytes; the conversation's machinery now loads when the visitor acts.`,
    ],
  );
  const growth = iife ? iife.gzip - BEFORE_I18N.iife : 0;
  return iife
    ? [
        summaryRow('widget', 'IIFE gzip', kib(iife.gzip), '<= 24 KB', iife.gzip <= IIFE_BUDGET),
        summaryRow('widget', 'IIFE saved by issue 17', `${num(BEFORE_LIGHTER.iife - iife.gzip)} bytes`),
        summaryRow('widget', 'IIFE growth since the languages', `${num(growth)} bytes`, '<= 1 KB', growth <= 1024),
      ]
    : [summaryRow('widget', 'IIFE gzip', 'missing', '<= 24 KB', false)];
}

async function connectTimes(ctx) {
  const server = await ctx.pageServer();
  const rows = [];
  const medians = {};
  for (const rtt of RTTS) {
    const page = await ctx.newPage(server.url('connect'));
    try {
      await page.evaluate((r) => window.benchConnect.setup(r), rtt);
      // One untimed connect first: the first one also compiles code and opens the fake camera/mic device.
      await page.evaluate(() => window.benchConnect.connectOnce(false));
      const times = { cold: [], warm: [] };
      // Alternating, so drift over the run affects both alike.
      for (let i = 0; i < CONNECTS; i++) {
        times.cold.push(await page.evaluate(() => window.benchConnect.connectOnce(false)));
        times.warm.push(await page.evaluate(() => window.benchConnect.connectOnce(true)));
      }
      if (page.pageErrors.length) throw new Error(`page errors: ${page.pageErrors.join('; ')}`);
      medians[rtt] = { cold: median(times.cold), warm: median(times.warm) };
      const label = rtt ? `+${rtt} ms round trip per request` : 'no added latency';
      const row = (kind, xs) => [label, kind, num(median(xs), 1), num(percentile(xs, 95), 1), num(Math.min(...xs), 1)];
      rows.push(row('without prewarm', times.cold));
      rows.push(row('with prewarm (hover, key fetched, then click)', times.warm));
      rows.push([label, 'saved by prewarm (median)', num(median(times.cold) - median(times.warm), 1), '', '']);
    } finally {
      await page.close();
    }
  }
  table(
    `Click-to-connected, hands-free (WebRTC to the in-page fake OpenAI peer over loopback), median of ${CONNECTS} each`,
    ['network', 'case', '>median ms', '>p95 ms', '>min ms'],
    rows,
    [
      'From button.click() to status "listening" (session key, microphone, SDP offer/answer, ICE, data channel open).',
      'The fake Worker API and OpenAI /calls answer inside the page; the second run delays each of those requests by a',
      'simulated round trip, which is what prewarm saves. No target in issue 3.',
    ],
  );
  const base = medians[RTTS.at(-1)] ?? medians[0];
  return [
    summaryRow('widget', `click-to-connected, no prewarm (+${RTTS.at(-1)} ms RTT)`, ms(base.cold)),
    summaryRow('widget', `click-to-connected, prewarm (+${RTTS.at(-1)} ms RTT)`, ms(base.warm)),
  ];
}

async function heap(ctx) {
  const server = await ctx.pageServer();
  const page = await ctx.newPage(server.url('connect'));
  try {
    const cdp = await page.createCDPSession();
    const usage = async () => {
      // Twice: the first collection can leave what finalizers freed for the second.
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.evaluate(() => window.benchConnect.setup(0));
    const mounted = await usage();
    await page.evaluate(() => window.benchConnect.cycle(0));
    const warm = await usage();
    for (let i = 1; i <= CYCLES; i++) await page.evaluate((n) => window.benchConnect.cycle(n), i);
    const after = await usage();
    const entries = await page.evaluate(() => window.benchConnect.transcriptLength());
    if (page.pageErrors.length) throw new Error(`page errors: ${page.pageErrors.join('; ')}`);
    const growth = after - warm;
    table(
      `JS heap (used), forced GC through CDP before each reading; ${CYCLES} connect / turn / disconnect cycles`,
      ['reading', '>used heap', '>bytes'],
      [
        ['after mount (bootstrap done)', kib(mounted), num(mounted)],
        ['after 1 warm-up cycle (baseline)', kib(warm), num(warm)],
        [`after ${CYCLES} more cycles`, kib(after), num(after)],
        [`growth over ${CYCLES} cycles (vs baseline)`, kib(growth), num(growth)],
        ['growth including the warm-up cycle (vs mount)', kib(after - mounted), num(after - mounted)],
      ],
      [
        `Target: <= 1 MB growth. Each cycle plays one full turn; the transcript is kept by design (${entries} entries at the end).`,
        "The fake peer and the request log are dropped after each cycle, so what remains is the widget's.",
      ],
    );
    return [
      summaryRow(
        'widget',
        `heap growth, ${CYCLES} connect/disconnect cycles`,
        kib(growth),
        '<= 1 MB',
        growth <= HEAP_TARGET,
      ),
    ];
  } finally {
    await page.close();
  }
}

export async function run(ctx) {
  return [...sizes(), ...(await connectTimes(ctx)), ...(await heap(ctx))];
}
