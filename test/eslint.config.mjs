// Lint: ESLint's and typescript-eslint's recommended rules everywhere; type-aware rules where the TypeScript
// projects cover the file (the Worker's, the widget's and the bench's browser pages); globals per environment, so
// Worker code cannot reach for `window` and browser code not for Node's `process`. Formatting is Prettier's
// (.prettierrc.json, checked by `npm run lint`); max-len catches the long lines Prettier does not break.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TYPED = [
  'worker/**/*.ts',
  'widget/**/*.ts',
  'demo/**/*.ts',
  'test/worker/**/*.ts',
  'test/widget/**/*.ts',
  'test/fakes/**/*.ts',
  'test/fixtures/**/*.ts',
  'test/bench/browser/**/*.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.wrangler/**', '**/custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
    },
  },
  {
    files: TYPED,
    languageOptions: {
      parserOptions: {
        project: ['worker/tsconfig.json', 'widget/tsconfig.json', 'test/bench/browser/tsconfig.json'],
        tsconfigRootDir: new URL('..', import.meta.url).pathname,
      },
    },
    rules: {
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-exports': 'error',
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // The Worker runs in workerd: the service-worker globals, and nothing of a browser page or of Node.
    files: ['worker/**/*.ts', 'test/worker/**/*.ts'],
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'sessionStorage', 'process', 'Buffer'],
    },
  },
  {
    // The widget, its tests, the admin console and the demo pages run in a browser.
    files: ['widget/**/*.ts', 'test/widget/**/*.ts', 'test/bench/browser/**/*.ts', 'demo/site/**/*.js', 'demo/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Node scripts: the test runner, end-to-end tests, fakes, benches and the demo's tooling (some drive pages, so
    // the functions they pass to page.evaluate see browser globals).
    files: ['**/*.mjs', 'test/fakes/**/*.js', 'test/fakes/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // chai's property assertions (expect(x).to.exist) are expressions by design, and @open-wc's assertions are
    // thenable (its snapshot plugin), so every expect() would read as a floating promise.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // The audio worklet runs in AudioWorkletGlobalScope.
    files: ['widget/voice-buddy-audio.worklet.js'],
    languageOptions: { globals: { ...globals.audioWorklet } },
  },
);
