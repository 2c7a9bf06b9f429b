// Builds the widget: `vite build` -> dist/voice-buddy.js (ES module, code-split lazy chunks) and copies the demo
// site (demo/site) into dist/; `vite build --mode iife` -> dist/voice-buddy.iife.js for a classic <script> tag, then
// the pinned copies (dist/v/<version>/, dist/v/<major>/) and the assets' headers (dist/_headers).
// dist/ is what the Worker serves as static assets.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';
import { assetHeaders, WIDGET_FILES } from './worker/assets/policy.ts';
import { minifyCss } from './widget/theme/minify-css.ts';

const LAZY = fileURLToPath(new URL('widget/lazy.ts', import.meta.url));
const LAZY_IIFE = fileURLToPath(new URL('widget/lazy.iife.ts', import.meta.url));
const WORKLET_SOURCE = fileURLToPath(new URL('widget/voice-buddy-audio.worklet.js', import.meta.url));
const DIST = fileURLToPath(new URL('dist/', import.meta.url));
/** Where the ES build records its lazy chunks' hashed names for the IIFE build (never served: see .assetsignore). */
const CHUNK_MAP = `${DIST}.vite/lazy-chunks.json`;
const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * A lazy chunk's file (rollup's chunkFileNames below); the IIFE rebuilds it from the name and the hash (lazy.iife.ts).
 */
const CHUNK_FILE = 'chunks/voice-buddy-[name]-[hash].js';
const chunkFile = (name: string, hash: string) => CHUNK_FILE.replace('[name]', name).replace('[hash]', hash);

/**
 * The IIFE carries each chunk's content hash only, by the name of its module without `.lazy` (start-up bytes):
 * lazy.iife.ts rebuilds the file name from them.
 */
function chunkHashes(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, file]) => {
      const [prefix, suffix] = chunkFile(name, '|').split('|') as [string, string];
      const hash = file.slice(prefix.length, file.length - suffix.length);
      if (chunkFile(name, hash) !== file) throw new Error(`voice-buddy: chunk ${file} is not named ${CHUNK_FILE}`);
      return [name.replace(/\.lazy$/, ''), hash];
    }),
  );
}

const hash = (bytes: string | Buffer, length = 10) =>
  createHash('sha256').update(bytes).digest('base64url').slice(0, length);

/** The worklet's content-hashed name, the same in both builds: it can then be cached for a year. */
const workletSource = readFileSync(WORKLET_SOURCE, 'utf8');
const WORKLET_FILE = `chunks/voice-buddy-audio.worklet-${hash(workletSource)}.js`;

/** The IIFE cannot split itself: its lazy imports load the ES build's self-contained chunks by URL instead. */
function lazyByUrl(): Plugin {
  return {
    name: 'voice-buddy-lazy-by-url',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/(^|\/)lazy\.ts$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === LAZY ? LAZY_IIFE : null;
    },
  };
}

/**
 * The audio worklet is a plain file next to the widget script (no blob: URL, so strict CSP pages work), and the
 * names of the lazy chunks are written down for the IIFE build, which loads them by URL.
 */
function esAssets(): Plugin {
  return {
    name: 'voice-buddy-es-assets',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: WORKLET_FILE, source: workletSource });
      const chunks: Record<string, string> = {};
      for (const file of Object.values(bundle)) {
        // Only the *.lazy.ts entries of widget/lazy.ts: the chunks they import in turn (Agora) load by relative URL.
        const name =
          file.type === 'chunk' && file.isDynamicEntry
            ? /([\w-]+\.lazy)\.ts$/.exec(file.facadeModuleId ?? '')?.[1]
            : undefined;
        if (name) chunks[name] = file.fileName;
      }
      this.emitFile({ type: 'asset', fileName: '.vite/lazy-chunks.json', source: JSON.stringify(chunks, null, 2) });
      // Start-up is one file, and the IIFE loads these chunks by URL: a module shared between the two would make the
      // ES entry import a chunk before the visitor acts, or a chunk import the whole entry again.
      const entry = Object.values(bundle).find((f) => f.type === 'chunk' && f.isEntry);
      const importers = Object.values(bundle).filter(
        (f) => f.type === 'chunk' && entry && f.imports.includes(entry.fileName),
      );
      if (entry?.type === 'chunk' && entry.imports.length)
        this.error(`the start-up bundle imports ${entry.imports.join(', ')}: a module is shared with a lazy chunk`);
      if (importers.length)
        this.error(
          `${importers.map((f) => f.fileName).join(', ')} import the start-up bundle: a lazy chunk shares a module with it`,
        );
    },
  };
}

/** The widget's css`` templates squeezed at build time (widget/theme/minify-css.ts says what is safe). */
function minifyStyles(): Plugin {
  return {
    name: 'voice-buddy-minify-css',
    apply: 'build',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return {
        code: code.replace(/\bcss`((?:[^`$\\]|\$(?!\{))*)`/g, (_all, text: string) => `css\`${minifyCss(text)}\``),
        map: null,
      };
    },
  };
}

/**
 * The same for Lit's html`` and svg`` templates: a line break with the indentation around it becomes one space, in
 * the templates' own text only (never inside their ${} expressions, found with TypeScript's parser). A browser
 * renders the two alike (no widget template has preformatted text); only the whitespace of textContent changes.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'voice-buddy-minify-templates',
    apply: 'build',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !/\b(html|svg)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true);
      const edits: Array<[number, number, string]> = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(html|svg)$/.test(node.tag.text)) {
          const t = node.template;
          const texts = ts.isNoSubstitutionTemplateLiteral(t)
            ? [t]
            : [t.head, ...t.templateSpans.map((s) => s.literal)];
          for (const text of texts) {
            const [start, end] = [text.getStart(file), text.end];
            const raw = code.slice(start, end);
            const squeezed = raw.replace(/[ \t]*\n\s*/g, ' ');
            if (squeezed !== raw) edits.push([start, end, squeezed]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
        out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/** Vite leaves whitespace in ES library output; the widget ships to browsers as is, so minify it fully. */
function minifyEsOutput(): Plugin {
  return {
    name: 'voice-buddy-minify-es',
    apply: 'build',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        // UTF-8 as is, not \u escapes (a catalogue in Hindi or Arabic would grow by half): module scripts are always
        // decoded as UTF-8, whatever the Content-Type says.
        const charset = 'utf8' as const;
        file.code = (
          await transform(file.code, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none', charset })
        ).code;
      }
    },
  };
}

/**
 * After the last widget build: every widget file again under /v/<version>/ (never changes: cached for a year) and
 * /v/<major>/ (moves with each release), the headers of all static assets, and the loader's integrity hash.
 */
function releaseFiles(): Plugin {
  return {
    name: 'voice-buddy-release-files',
    apply: 'build',
    closeBundle() {
      const major = version.split('.')[0]!;
      for (const dir of [version, major]) {
        const target = `${DIST}v/${dir}/`;
        rmSync(target, { recursive: true, force: true });
        mkdirSync(target, { recursive: true });
        for (const file of WIDGET_FILES)
          if (existsSync(DIST + file)) cpSync(DIST + file, target + file, { recursive: true });
      }
      writeFileSync(`${DIST}_headers`, assetHeaders(version));
      writeFileSync(`${DIST}.assetsignore`, '.vite\n');
      const integrity = `sha384-${createHash('sha384')
        .update(readFileSync(`${DIST}voice-buddy.iife.js`))
        .digest('base64')}`;
      writeFileSync(`${DIST}release.json`, JSON.stringify({ version, major, integrity }, null, 2));
      console.log(
        `\nvoice-buddy ${version}: /v/${version}/voice-buddy.iife.js  integrity="${integrity}"  (moving: /v/${major}/)`,
      );
    },
  };
}

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  const chunks = iife ? (JSON.parse(readFileSync(CHUNK_MAP, 'utf8')) as Record<string, string>) : {};
  return {
    publicDir: iife ? false : 'demo/site',
    define: {
      // Library mode leaves process.env alone, but nanostores reads it: a page has no `process`.
      'process.env.NODE_ENV': JSON.stringify('production'),
      // What the widget loads after start-up, by content-hashed name (widget/assets.ts).
      __VB_ASSETS__: JSON.stringify({ worklet: WORKLET_FILE, chunks: chunkHashes(chunks) }),
      // A classic script has no import.meta; the widget reads document.currentScript instead.
      ...(iife ? { 'import.meta.url': 'undefined' } : {}),
    },
    plugins: iife
      ? [lazyByUrl(), minifyStyles(), minifyTemplates(), releaseFiles()]
      : [esAssets(), minifyStyles(), minifyTemplates(), minifyEsOutput()],
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !iife,
      sourcemap: false,
      minify: true,
      reportCompressedSize: false,
      lib: {
        entry: 'widget/voice-buddy.ts',
        formats: [iife ? 'iife' : 'es'],
        name: 'VoiceBuddy',
        fileName: () => (iife ? 'voice-buddy.iife.js' : 'voice-buddy.js'),
      },
      rollupOptions: {
        // Content-hashed chunk names: the files never change, so a CDN and browsers keep them for a year.
        output: iife ? {} : { chunkFileNames: CHUNK_FILE },
      },
    },
  };
});
