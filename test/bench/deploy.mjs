// Issue 15, deploying: the Worker bundle `npm run deploy -- production` would upload, built by wrangler itself with
// `deploy --dry-run --outdir` (offline), against the Workers size limits, and what makes it up.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kib, num, summaryRow, table } from './report.mjs';
import { ROOT, runCommand } from './support.mjs';

export const title = 'Worker bundle (issue 15)';

const MiB = 1024 * 1024;
// Checked 2026-12 (search): Cloudflare removed the compressed-size limits (3 MB free, 10 MB paid) on 2026-09-04
// (cloudflare/cloudflare-docs#33241, changelog "Deploy larger Workers"; wrangler's reporter followed in
// cloudflare/workers-sdk#14001) and keeps one limit, 64 MiB uncompressed, on every plan. The old compressed limits
// are printed too: wrangler 4.86 (pinned) still colours its size line against them.
const LIMITS = {
  uncompressed: { bytes: 64 * MiB, label: '64 MiB uncompressed, every plan' },
  free: { bytes: 3 * MiB, label: '3 MB gzip, Free (former, removed 2026-09-04)' },
  paid: { bytes: 10 * MiB, label: '10 MB gzip, Paid (former, removed 2026-09-04)' },
};
const share = (bytes, limit) => `${num((100 * bytes) / limit, 2)} %`;

/** Bytes in the bundle by source: a package in node_modules, else the top two levels of our own tree. */
function bySource(meta) {
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('.js') && !file.endsWith('.map'))?.[1];
  const totals = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    const key = pkg ?? file.split('/').slice(0, 2).join('/');
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

export async function run() {
  const outdir = mkdtempSync(join(tmpdir(), 'vb-bench-bundle-'));
  try {
    const wrangler = join(ROOT, 'node_modules/.bin/wrangler');
    const out = await runCommand(wrangler, [
      'deploy',
      '--dry-run',
      '--env',
      'production',
      '--outdir',
      outdir,
      '--metafile',
      join(outdir, 'meta.json'),
    ]);
    const reported = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
    const script = join(outdir, 'index.js');
    const raw = statSync(script).size;
    const gzip = gzipSync(readFileSync(script), { level: 9 }).byteLength;
    table(
      'The production Worker as `wrangler deploy --dry-run --env production --outdir` bundles it (nothing uploaded)',
      ['measure', '>size', 'limit', '>share of limit'],
      [
        ['bundle, uncompressed (index.js)', kib(raw), LIMITS.uncompressed.label, share(raw, LIMITS.uncompressed.bytes)],
        ['bundle, gzip -9', kib(gzip), LIMITS.free.label, share(gzip, LIMITS.free.bytes)],
        ['', '', LIMITS.paid.label, share(gzip, LIMITS.paid.bytes)],
        ["wrangler's own line (Total Upload / gzip)", reported ? `${reported[1]} / ${reported[2]} KB` : 'n/a', '', ''],
      ],
      [
        'Source maps are written beside the bundle but not uploaded (no upload_source_maps). Not measured here: the 1 s',
        'start-up limit (global scope evaluation) and the 128 MB isolate memory.',
      ],
    );
    const sources = bySource(JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')));
    const top = sources.slice(0, 8);
    const rest = sources.slice(8).reduce((n, [, b]) => n + b, 0);
    table(
      'What the bundle is made of (esbuild metafile, bytes in the output before gzip)',
      ['source', '>bytes', '>share'],
      [
        ...top.map(([source, bytes]) => [source, kib(bytes), share(bytes, raw)]),
        ...(rest ? [['everything else', kib(rest), share(rest, raw)]] : []),
      ],
    );
    return [
      summaryRow('bundle', 'Worker bundle, uncompressed', kib(raw), '<= 64 MiB', raw <= LIMITS.uncompressed.bytes),
      summaryRow('bundle', 'Worker bundle, gzip', kib(gzip), '<= 3 MB (former Free limit)', gzip <= LIMITS.free.bytes),
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
