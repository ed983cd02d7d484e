// Lint: typescript-eslint + Microsoft SDL security rules, and one architectural rule:
// only the Electron wiring (main/electron/) and preload/ may import `electron`.
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyInWiring = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: 'Only main/electron/ and preload/ may import electron; pipeline code must run in plain Node.' }],
      patterns: [{ group: ['electron/*'], message: 'Only main/electron/ and preload/ may import electron.' }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'infra/cdk.out/', 'test-results/', 'playwright-report/', '.venv-ref/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...sdl.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Loopback is where the local emulator and test bridge live; nothing else may be plain http.
      '@microsoft/sdl/no-insecure-url': ['error', { exceptions: ['^http://127\\.0\\.0\\.1(:|/|$)', '^http://localhost(:|/|$)'] }],
      ...electronOnlyInWiring,
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['main/electron/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Tests may use non-null assertions on values they have just asserted.
    files: ['**/*.test.ts', 'e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Playwright fixtures must destructure their (here unused) dependencies: `async ({}, use) => …`.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
