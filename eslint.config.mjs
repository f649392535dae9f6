// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** The engine, webhook rules and importers stay pure: no framework, no database, no queue. */
const pureBoundary = {
  patterns: [
    {
      group: ['@nestjs/*', 'typeorm', 'bull', 'ioredis', 'pg', 'better-sqlite3', 'fastify'],
      message: 'libs/engine, libs/webhooks and libs/importers are pure: no Nest, no I/O.',
    },
    {
      group: ['@hookflow/*', '!@hookflow/engine', '!@hookflow/webhooks', '!@hookflow/importers'],
      message: 'pure libs import only each other.',
    },
  ],
};

/** The engine does no I/O at all: besides the boundary above, no file, network or process access. */
const engineNoIo = {
  patterns: [
    ...pureBoundary.patterns,
    {
      group: [
        'node:fs',
        'node:fs/*',
        'fs',
        'fs/*',
        'node:http',
        'node:https',
        'http',
        'https',
        'node:net',
        'net',
        'node:child_process',
        'child_process',
      ],
      message: 'libs/engine does no I/O: time, HTTP, mail and storage come in through its ports.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'jest.config.js',
      'apps/editor/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['libs/*', 'apps/*', '../../libs/*', '../../apps/*'],
              message: 'import libs through @hookflow/* aliases',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/engine/**/*.ts', 'libs/webhooks/**/*.ts', 'libs/importers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', pureBoundary] },
  },
  {
    // Specs may read fixtures and the published schema from disk; the engine itself may not.
    files: ['libs/engine/**/*.ts'],
    ignores: ['libs/engine/**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', engineNoIo] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
);
