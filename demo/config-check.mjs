// What must hold in wrangler.toml before the Worker runs or ships: no secret among the plain-text [vars] of any
// environment, and (to deploy) a real D1 database id. Used by `npm start` and every local `wrangler dev` we start
// (demo/local.mjs: a warning), and by `npm run deploy` (demo/deploy.mjs: a refusal).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimental_readRawConfig } from 'wrangler';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CONFIG = join(ROOT, 'wrangler.toml');
export const ENVIRONMENTS = ['staging', 'production'];

/** The Worker's secrets: `wrangler secret put NAME --env <environment>` in production, .dev.vars locally. */
export const SECRETS = [
  {
    name: 'ADMIN_TOKEN',
    required: true,
    purpose:
      'Bearer token of the admin API and console (/admin), used by `npm run tenant` and `npm run smoke`. Unset: the admin API refuses everything.',
  },
  {
    name: 'TICKET_SECRET',
    required: true,
    purpose:
      'Signs relay tickets, so a ticket minted in one isolate is redeemed in another. Unset: each isolate signs with its own random secret, and push-to-talk and text fail whenever the WebSocket lands elsewhere.',
  },
  {
    name: 'OPENAI_API_KEY',
    required: false,
    purpose:
      'Server key that mints short-lived Realtime keys, opens relay sessions and makes images. Unset: sandbox mode (built-in replies and concept cards).',
  },
  {
    name: 'AKOOL_API_KEY',
    required: false,
    purpose: 'The talking avatar (Akool live avatar). Unset: no avatar; the widget hides it.',
  },
  {
    name: 'ELEVENLABS_API_KEY',
    required: false,
    purpose:
      'Text-to-speech (ElevenLabs): spoken replies in text mode and the provider health ping. Unset: replies stay silent text; the ping reports sandbox.',
  },
];

/** A var named like a credential is a secret too, whether or not it is one of ours yet. */
const SECRET_LIKE = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE)(?:_|$)/i;
export const isSecretName = (name) => SECRETS.some((s) => s.name === name) || SECRET_LIKE.test(name);

const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

/**
 * Bindings Wrangler does not inherit into an environment (wrangler 4.86, "notInheritable" in its config
 * validation): one set at the top level but missing from an environment would make that Worker run without it.
 */
const NOT_INHERITED = {
  vars: (v) => Object.keys(v ?? {}),
  d1_databases: (v) => (v ?? []).map((b) => b.binding),
  r2_buckets: (v) => (v ?? []).map((b) => b.binding),
  kv_namespaces: (v) => (v ?? []).map((b) => b.binding),
  // Each environment consumes its own queue (another name), so consumers are matched by count, not by queue name.
  queues: (v) => [
    ...(v?.producers ?? []).map((b) => b.binding),
    ...(v?.consumers ?? []).map((_, i) => `consumer #${i + 1}`),
  ],
  services: (v) => (v ?? []).map((b) => b.binding),
  durable_objects: (v) => (v?.bindings ?? []).map((b) => b.name),
  analytics_engine_datasets: (v) => (v ?? []).map((b) => b.binding),
  hyperdrive: (v) => (v ?? []).map((b) => b.binding),
  vectorize: (v) => (v ?? []).map((b) => b.binding),
  workflows: (v) => (v ?? []).map((b) => b.binding),
  ai: (v) => (v ? [v.binding] : []),
  browser: (v) => (v ? [v.binding] : []),
};

/** Top-level bindings (and vars) an environment does not repeat. */
export function missingInEnvironment(raw, env) {
  const scope = raw.env?.[env] ?? {};
  return Object.entries(NOT_INHERITED).flatMap(([key, names]) => {
    const have = new Set(names(scope[key]));
    return names(raw[key])
      .filter((name) => !have.has(name))
      .map((name) => ({ key, name }));
  });
}

export function readRawConfig(configPath = CONFIG) {
  return experimental_readRawConfig({ config: configPath }).rawConfig;
}

/** Every [vars] entry, top level and per environment, that holds a secret in plain text. */
export function secretsInVars(raw) {
  const scopes = [
    ['[vars]', raw.vars],
    ...Object.entries(raw.env ?? {}).map(([name, env]) => [`[env.${name}.vars]`, env?.vars]),
  ];
  return scopes.flatMap(([scope, vars]) =>
    Object.keys(vars ?? {})
      .filter(isSecretName)
      .map((name) => ({ scope, name })),
  );
}

/** What stops a deploy to `env`: `errors` always, `placeholders` (databases not created yet) unless it is a dry run. */
export function checkConfig(raw, env) {
  const errors = [];
  const placeholders = [];
  for (const { scope, name } of secretsInVars(raw)) {
    errors.push(
      `${name} is set in ${scope} of wrangler.toml: vars are plain text, kept with the deployment and printed by every deploy. ` +
        `Remove it there and run \`npx wrangler secret put ${name}${env ? ` --env ${env}` : ''}\` (locally: put it in .dev.vars).`,
    );
  }
  const scope = env ? raw.env?.[env] : raw;
  if (env && !scope)
    errors.push(`wrangler.toml has no [env.${env}] (environments: ${Object.keys(raw.env ?? {}).join(', ') || 'none'})`);
  for (const { key, name } of env && scope ? missingInEnvironment(raw, env) : []) {
    errors.push(
      `${key} ${name} is set at the top level of wrangler.toml but not in [env.${env}]: Wrangler does not inherit ${key}, so the ${env} Worker would run without it. Add it there, as the other environments do.`,
    );
  }
  // A consumer of a queue its own scope does not produce to would drain another environment's queue (or none).
  const produced = new Set((scope?.queues?.producers ?? []).map((p) => p.queue));
  for (const consumer of scope?.queues?.consumers ?? []) {
    if (!produced.has(consumer.queue)) {
      errors.push(
        `${env ? `[[env.${env}.queues.consumers]]` : '[[queues.consumers]]'} consumes "${consumer.queue}", which no producer of that scope sends to: consume the environment's own queue.`,
      );
    }
  }
  for (const db of scope?.d1_databases ?? []) {
    if (!db.database_id || PLACEHOLDER_ID.test(db.database_id)) {
      const where = env ? `[[env.${env}.d1_databases]]` : '[[d1_databases]]';
      placeholders.push(
        `${where} ${db.binding} has no database id yet: run \`npx wrangler d1 create ${db.database_name}\` and put the database_id it prints into ${where} in wrangler.toml.`,
      );
    }
  }
  return { errors, placeholders };
}

/** The start-up warning of a local Worker: the same secret check, printed instead of refused. */
export function warnAboutSecretVars(configPath = CONFIG, log = console.warn) {
  const found = secretsInVars(readRawConfig(configPath));
  for (const { scope, name } of found) {
    log(
      `WARNING: ${name} is set in ${scope} of wrangler.toml. Secrets belong in .dev.vars locally and in \`npx wrangler secret put ${name} --env <environment>\` when deployed; \`npm run deploy\` refuses this configuration.`,
    );
  }
  return found;
}
