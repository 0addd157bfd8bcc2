// Lint for the whole project (typescript-eslint's recommended rules), run by the test command
// (test/lint/lint.test.ts) and by `npm run lint`.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Globals of the browser scripts the pages load (src/**\/*.js); no `globals` package, so listed here. */
const browser = Object.fromEntries(
  [
    'window', 'document', 'navigator', 'location', 'console', 'sessionStorage', 'localStorage', 'fetch',
    'getComputedStyle', 'requestAnimationFrame', 'MutationObserver', 'setTimeout', 'clearTimeout', 'URL',
    'URLSearchParams', 'Intl',
  ].map((name) => [name, 'readonly']),
);

/** Globals of Node itself (ES modules: the docs' Lambda example, this file). */
const node = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'fetch', 'AbortSignal', 'AbortController', 'URL', 'URLSearchParams', 'setTimeout',
    'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone', 'TextEncoder', 'TextDecoder',
  ].map((name) => [name, 'readonly']),
);

/** Globals of Node's CommonJS modules (scripts/*.js, the jest config, .cjs preloads). */
const nodeCommonJs = {
  ...node,
  ...Object.fromEntries(['require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly'])),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', 'coverage/', 'data/', 'src/db/migrations/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding kept on purpose (Express's four-argument error handler, a
      // field destructured away to omit it); everything else unused is a finding.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.js'],
    languageOptions: { sourceType: 'script', globals: browser },
  },
  {
    // The offline explorer's libraries, loaded by <script> tags before it (src/explorer/explorer.eta).
    files: ['src/explorer/explorer.js'],
    languageOptions: { globals: { React: 'readonly', ReactDOM: 'readonly', GraphiQL: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: node },
  },
  {
    files: ['scripts/**/*.js', '*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJs },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
