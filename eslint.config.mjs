// ESLint flat config with typescript-eslint (type-aware rules on TypeScript sources).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pureFolders = [
  'src/np6/**/*.ts',
  'src/core/**/*.ts',
  'src/shared/**/*.ts',
  'webview/**/*.ts',
  'src/demo/**/*.ts',
  'tools/sandbox/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-tools/**',
      '.vscode-test/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  { rules: { 'no-empty': ['error', { allowEmptyCatch: true }] } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // The wall between pure code and host glue: only src/vscode (and src/extension.ts,
    // test/integration) may import 'vscode'.
    files: pureFolders,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Pure code: keep vscode imports in src/vscode/.' }] },
      ],
    },
  },
  {
    // What the host and the webview share (src/shared: protocol and timeline format/math) and the
    // webview itself run in a browser, and src/shared imports neither side, so no import cycle
    // between folders can form through it.
    files: ['webview/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser.' }],
          patterns: [
            { group: ['node:*'], message: 'The webview runs in a browser: no node modules.' },
            {
              group: ['**/core/**', '**/np6/**', '**/vscode/**', '**/cli/**', '**/tools/**'],
              message: 'src/shared and webview/ import only src/shared: host code stays on the host side.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/shared runs in the browser too.' }],
          patterns: [
            { group: ['node:*'], message: 'src/shared runs in the browser too: no node modules.' },
            {
              group: ['**/core/**', '**/np6/**', '**/vscode/**', '**/cli/**', '**/tools/**', '**/webview/**'],
              message: 'src/shared imports neither side (host nor webview).',
            },
          ],
        },
      ],
    },
  },
);
