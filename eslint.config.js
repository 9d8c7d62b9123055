// Process boundaries are enforced here, not by memory (DESIGN.md rule 5):
//   core, lab ↛ electron; core ↛ lab (outside its tests); renderer ↛ node, electron, core/main/host/cli; only electron/contract is shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Le cœur ne dépend jamais d’Electron (DESIGN.md règle 5).' };
const noShellNoRenderer = {
  group: ['**/main/**', '**/renderer/**'],
  message: 'Le cœur ne dépend ni du shell ni du renderer.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
    ignores: ['renderer/src/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The lab (`vigie lab`, electron/lab) is plain Node like the core: it runs in the CLI and the tests.
    files: [
      'electron/core/**/*.ts',
      'electron/lab/**/*.ts',
      'electron/contract/**/*.ts',
      'electron/cli/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noShellNoRenderer] }],
    },
  },
  {
    // The product core does not depend on the lab; only its tests and test scaffolding drive it.
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            noShellNoRenderer,
            { group: ['**/lab/**'], message: 'Le cœur ne dépend pas du laboratoire (electron/lab).' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Le contrat est partagé avec le renderer.' })),
            'electron',
          ],
          patterns: [{ group: ['**/core/**', '**/main/**', '**/host/**', '**/cli/**', '**/renderer/**'] }],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Pas de Node dans le renderer.' })),
            'electron',
            'better-sqlite3',
            'ws',
            'sip.js',
          ],
          patterns: [
            {
              group: ['**/electron/core/**', '**/electron/main/**', '**/electron/host/**', '**/electron/cli/**'],
              message: 'Le renderer ne parle qu’au contrat (electron/contract).',
            },
          ],
        },
      ],
    },
  },
);
