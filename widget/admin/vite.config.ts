// The admin console: `vite build --config widget/admin/vite.config.ts` (run from the repo root, as npm scripts are)
// -> dist/admin/console.js, one minified ES module with Lit inside. It runs after the widget builds and leaves their
// output alone; demo/site/admin/index.html (copied there by the widget build) loads it.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: 'dist/admin',
    emptyOutDir: false,
    sourcemap: false,
    // Not library mode: Vite leaves the whitespace of an ES library unminified.
    minify: true,
    modulePreload: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: 'widget/admin/admin-app.ts',
      output: { format: 'es', entryFileNames: 'console.js' },
    },
  },
});
