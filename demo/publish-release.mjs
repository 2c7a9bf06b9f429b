// Keeps the built widget release in R2 (bucket of the WIDGET_RELEASES binding), so pages pinned to
// /v/<version>/ (and the moving /v/<major>/) keep working after later deploys replace the static assets.
//   node demo/publish-release.mjs --remote [--env production]    what `npm run deploy` does before `wrangler deploy`
//   node demo/publish-release.mjs --local [--persist-to DIR]     the same into local storage (wrangler dev, tests)
//   --as <version>   publish the built files under another version (tests that need an older release)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { readRawConfig } from './config-check.mjs';
import { ROOT } from './local.mjs';

/** The bucket of the WIDGET_RELEASES binding in wrangler.toml, at the top level or of the environment. */
export function releaseBucket(env) {
  const raw = readRawConfig();
  const buckets = (env ? raw.env?.[env]?.r2_buckets : raw.r2_buckets) ?? [];
  const bucket = buckets.find((b) => b.binding === 'WIDGET_RELEASES')?.bucket_name;
  if (!bucket) throw new Error(`wrangler.toml has no WIDGET_RELEASES bucket${env ? ` in [env.${env}]` : ''}`);
  return bucket;
}

/** The files of dist/v/<version>/ and dist/v/<major>/ as R2 keys. */
export function releaseObjects({ as } = {}) {
  const { version, major } = JSON.parse(readFileSync(join(ROOT, 'dist/release.json'), 'utf8'));
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  const objects = [];
  for (const [dir, name] of [
    [version, as ?? version],
    [major, as ? null : major],
  ]) {
    if (!name) continue;
    const base = join(ROOT, 'dist/v', dir);
    for (const file of walk(base))
      objects.push({ key: `v/${name}/${relative(base, file).split('\\').join('/')}`, file });
  }
  return { version: as ?? version, objects };
}

export function publishRelease({ remote = false, env, persistTo, as, quiet = false } = {}) {
  const { version, objects } = releaseObjects({ as });
  const list = join(mkdtempSync(join(tmpdir(), 'vb-release-')), 'objects.json');
  writeFileSync(list, JSON.stringify(objects));
  const args = [
    'r2',
    'bulk',
    'put',
    releaseBucket(env),
    '--filename',
    list,
    '--content-type',
    'text/javascript; charset=utf-8',
    remote ? '--remote' : '--local',
  ];
  if (env) args.push('--env', env);
  if (persistTo) args.push('--persist-to', persistTo);
  const res = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: ROOT,
    stdio: quiet ? 'pipe' : 'inherit',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  if (res.status !== 0)
    throw new Error(`wrangler ${args.join(' ')} failed (${res.status})\n${res.stdout ?? ''}${res.stderr ?? ''}`);
  return { version, count: objects.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      remote: { type: 'boolean' },
      local: { type: 'boolean' },
      env: { type: 'string' },
      'persist-to': { type: 'string' },
      as: { type: 'string' },
    },
  });
  if (values.remote === values.local) {
    console.error('Say where: --remote (the deployed bucket) or --local (wrangler dev storage).');
    process.exit(2);
  }
  const { version, count } = publishRelease({
    remote: values.remote,
    env: values.env,
    persistTo: values['persist-to'],
    as: values.as,
  });
  console.log(
    `Published widget ${version}: ${count} files to R2 bucket ${releaseBucket(values.env)} (${values.remote ? 'remote' : 'local'}).`,
  );
}
