// Scores the local keyword extractor against labelled sentences.
//   npm run eval:keywords                      dev set (test/fixtures/keywords-dev.jsonl)
//   npm run eval:keywords -- FILE [--json] [--errors]
// Micro precision / recall / F1 per field and for `motifs` (subject + elements as one set per example).
// Scalar fields count only non-null values: null vs null is neither a hit nor a miss; a wrong value is both a
// false positive and a false negative. Lettering compares case-insensitively without surrounding quotes.
import { build } from 'esbuild';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const LIST_FIELDS = ['subject', 'elements', 'style', 'colors', 'mood', 'exclude'];
const FIELDS = ['subject', 'elements', 'style', 'colors', 'placement', 'size', 'mood', 'lettering', 'exclude'];

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const showErrors = args.includes('--errors');
const fileArg = args.find((a) => !a.startsWith('--'));
const dataUrl = fileArg ? pathToFileURL(fileArg) : new URL('fixtures/keywords-dev.jsonl', import.meta.url);

async function loadExtractor() {
  const cacheDir = new URL('../node_modules/.cache/voice-buddy/', import.meta.url);
  await mkdir(cacheDir, { recursive: true });
  const outfile = new URL('keywords-eval.mjs', cacheDir);
  await build({
    entryPoints: [fileURLToPath(new URL('../widget/keywords/index.ts', import.meta.url))],
    outfile: fileURLToPath(outfile),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'error',
  });
  return import(outfile.href);
}

const cleanLettering = (s) =>
  s
    .trim()
    .replace(/^["'\u2018\u2019\u201c\u201d]+|["'\u2018\u2019\u201c\u201d]+$/g, '')
    .trim()
    .toLowerCase();
const asSet = (list) => new Set((Array.isArray(list) ? list : []).map((v) => String(v).toLowerCase()));

function countSets(gold, predicted, tally) {
  for (const item of predicted)
    if (gold.has(item)) tally.tp++;
    else tally.fp++;
  for (const item of gold) if (!predicted.has(item)) tally.fn++;
}

function countScalar(field, gold, predicted, tally) {
  const norm = (v) =>
    v === null || v === undefined || v === ''
      ? null
      : field === 'lettering'
        ? cleanLettering(String(v))
        : String(v).toLowerCase();
  const g = norm(gold);
  const p = norm(predicted);
  if (g !== null && p !== null && g === p) tally.tp++;
  else {
    if (p !== null) tally.fp++;
    if (g !== null) tally.fn++;
  }
}

function score({ tp, fp, fn }) {
  // No predictions and nothing to find is perfect; nothing predicted while something was there is recall 0.
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

const { extractKeywords } = await loadExtractor();
const lines = (await readFile(dataUrl, 'utf8')).split('\n').filter((l) => l.trim());
const tallies = Object.fromEntries([...FIELDS, 'motifs'].map((f) => [f, { tp: 0, fp: 0, fn: 0 }]));
const errors = [];

for (const line of lines) {
  const { text, keywords: gold } = JSON.parse(line);
  const got = extractKeywords(text);
  const wrong = [];
  for (const field of FIELDS) {
    const before = { ...tallies[field] };
    if (LIST_FIELDS.includes(field)) countSets(asSet(gold[field]), asSet(got[field]), tallies[field]);
    else countScalar(field, gold[field], got[field], tallies[field]);
    if (tallies[field].fp !== before.fp || tallies[field].fn !== before.fn) {
      wrong.push(`  ${field}: want ${JSON.stringify(gold[field])} got ${JSON.stringify(got[field])}`);
    }
  }
  countSets(asSet([...gold.subject, ...gold.elements]), asSet([...got.subject, ...got.elements]), tallies.motifs);
  if (wrong.length) errors.push(`${text}\n${wrong.join('\n')}`);
}

const results = Object.fromEntries(Object.entries(tallies).map(([field, tally]) => [field, score(tally)]));
if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const pct = (x) => x.toFixed(3).padStart(9);
  console.log(`${fileURLToPath(dataUrl)}: ${lines.length} examples\n`);
  console.log(
    `${'field'.padEnd(10)}${'precision'.padStart(9)}${'recall'.padStart(9)}${'f1'.padStart(9)}` +
      `${'tp'.padStart(5)}${'fp'.padStart(5)}${'fn'.padStart(5)}`,
  );
  for (const [field, r] of Object.entries(results)) {
    const t = tallies[field];
    console.log(
      `${field.padEnd(10)}${pct(r.precision)}${pct(r.recall)}${pct(r.f1)}` +
        `${String(t.tp).padStart(5)}${String(t.fp).padStart(5)}${String(t.fn).padStart(5)}`,
    );
  }
  if (showErrors && errors.length) console.log(`\n${errors.join('\n\n')}`);
}
