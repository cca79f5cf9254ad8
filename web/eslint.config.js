// TypeScript and React hooks rules for the web app (`npm run lint`, part of `make test`).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'e2e/artifacts/', 'test-results/', 'playwright-report/'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['e2e/**/*.{ts,mjs}', '*.config.{js,ts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    // Node's globals, and the browser's for the functions they run in the page (`page.evaluate`).
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    // typescript-eslint turns off what tsc checks, but tsc does not see these JavaScript files: a
    // redeclared or undefined name would only show when Playwright fails to load the file.
    rules: { 'no-redeclare': 'error', 'no-undef': 'error' },
  },
);
