// Builds the widget: `vite build` -> dist/voice-buddy.js (ES module, code-split lazy chunks) and copies the demo
// site (demo/site) into dist/; `vite build --mode iife` -> dist/voice-buddy.iife.js for a classic <script> tag.
// dist/ is what the Worker serves as static assets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

const LAZY = fileURLToPath(new URL('widget/lazy.ts', import.meta.url));
const LAZY_IIFE = fileURLToPath(new URL('widget/lazy.iife.ts', import.meta.url));

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

/** The audio worklet is a plain file next to the widget script (no blob: URL, so strict CSP pages work). */
function audioWorklet(): Plugin {
  return {
    name: 'voice-buddy-audio-worklet',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'voice-buddy-audio.worklet.js',
        source: readFileSync(fileURLToPath(new URL('widget/voice-buddy-audio.worklet.js', import.meta.url)), 'utf8'),
      });
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
        file.code = (await transform(file.code, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' })).code;
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    publicDir: iife ? false : 'demo/site',
    define: {
      // Library mode leaves process.env alone, but nanostores reads it: a page has no `process`.
      'process.env.NODE_ENV': JSON.stringify('production'),
      // A classic script has no import.meta; the widget reads document.currentScript instead.
      ...(iife ? { 'import.meta.url': 'undefined' } : {}),
    },
    plugins: iife ? [lazyByUrl()] : [audioWorklet(), minifyEsOutput()],
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
        // Stable chunk names: the IIFE build loads them by name.
        output: iife ? {} : { chunkFileNames: 'chunks/voice-buddy-[name].js' },
      },
    },
  };
});
