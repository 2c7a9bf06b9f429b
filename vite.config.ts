// Builds the widget: `vite build` -> dist/voice-buddy.js (ES module, code-split lazy chunks) and copies the demo
// site (demo/site) into dist/; `vite build --mode iife` -> dist/voice-buddy.iife.js for a classic <script> tag.
// dist/ is what the Worker serves as static assets.
import { defineConfig } from 'vite';

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    publicDir: iife ? false : 'demo/site',
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
        output: iife ? {} : { chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
});
