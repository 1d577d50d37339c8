import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // actions/toolkit/lazy/ is CommonJS (its package.json) with .js names, so that TypeScript finds the .d.ts beside them.
    files: ['**/*.cjs', 'actions/toolkit/lazy/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', exports: 'writable' } },
  },
  // The lazy stand-ins load their package with require(): synchronously, on the first read of one of its names.
  { files: ['actions/toolkit/lazy/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
