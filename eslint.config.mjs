// ESLint flat config with typescript-eslint (type-aware rules on TypeScript sources).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const pureFolders = [
  'src/np6/**/*.ts',
  'src/core/**/*.ts',
  'src/shared/**/*.ts',
  'webview/**/*.ts',
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
    files: ['webview/**/*.ts', 'src/shared/**/*.ts', 'src/core/timeline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview runs in a browser.' }],
          patterns: [{ group: ['node:*'], message: 'The webview runs in a browser: no node modules.' }],
        },
      ],
    },
  },
);
