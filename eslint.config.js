/**
 * Lint: the recommended JS and TypeScript rules, plus the layer rules of ARCHITECTURE.md that keep
 * dependencies pointing inward, enforced with `no-restricted-imports` per folder.
 *
 * Relative imports are matched by the folder names they walk through (`../runtime/x`,
 * `../../main/core/x`), so a rule holds at any folder depth. ESLint applies the LAST matching
 * config's options for a rule, so every folder block below lists its complete set of
 * restrictions; the blocks are mutually exclusive by file.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A relative import that goes through the folder `name` (at any depth). */
const throughFolder = (name) => `^\\.{1,2}/(?:.*/)?${name}(?:/|$)`;
/** A parent-relative import of one of the two entry files of src/main (`../index`, `../../main/headless`). */
const mainEntry = '^(?:\\.\\./)+(?:main/)?(?:index|headless)$';

const NODE_BUILTINS = `^(?:node:|(?:${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(?:/|$))`;
const ELECTRON = '^electron(?:/|$)';

const rule = (...patterns) => ['error', { patterns: patterns.map(([regex, message]) => ({ regex, message })) }];

const noElectron = [ELECTRON, 'Only src/main/electron, src/main/ipc, src/main/index.ts and src/preload may import electron.'];
const noNode = [NODE_BUILTINS, 'This layer runs without Node: no node:* or built-in modules.'];
const noMainFolder = ['^\\.{1,2}/(?:.*/)?main/', 'This layer must not import from src/main.'];
const noRenderer = [throughFolder('renderer'), 'Nothing imports the renderer; share code through src/shared.'];
const noPreload = [throughFolder('preload'), 'Nothing imports the preload script; its API type lives in src/shared/contracts/desktop-api.ts.'];
const noShell = [throughFolder('(?:electron|ipc)'), 'Only the desktop entry wires the Electron shell and the IPC bridge.'];
const noServer = [throughFolder('server'), 'The headless server is an outer layer; inner layers must not import it.'];
const noEntries = [mainEntry, 'Entry files are composition roots; nothing imports them.'];
const noOuterMain = [
  throughFolder('(?:runtime|storage|processors|system|server|ipc|electron)'),
  'core/ is pure: it imports src/shared only.',
];

/**
 * The lint blocks of one inner layer of src/main: never electron, the shell, the server, the UI or
 * the entries, nor the sibling layers named in `notFrom`; its tests and test helpers (which build
 * real runtimes and stores) only the first part.
 */
function innerLayer(folder, notFrom) {
  const outer = [noElectron, noShell, noServer, noRenderer, noPreload, noEntries];
  const siblings = notFrom.map((name) => [throughFolder(name), `src/main/${folder} must not import src/main/${name} (dependencies point inward; the runtime wires them).`]);
  return [
    { files: [`src/main/${folder}/**`], rules: { 'no-restricted-imports': rule(...outer, ...siblings) } },
    { files: [`src/main/${folder}/**/*.test.ts`, `src/main/${folder}/**/testing/**`, `src/main/${folder}/**/testing.ts`, `src/main/${folder}/**/conformance/**`], rules: { 'no-restricted-imports': rule(...outer) } },
  ];
}

const jsFiles = ['**/*.{js,mjs,cjs}'];
const tsFiles = ['**/*.{ts,tsx,mts,cts}'];

export default defineConfig(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: [...jsFiles, ...tsFiles],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests and their helpers often handle untyped JSON: `any` there is a warning, not an error.
  { files: ['**/*.test.{ts,tsx}', '**/testing/**'], rules: { '@typescript-eslint/no-explicit-any': 'warn' } },

  // Default for everything (scripts, e2e, bench and main folders without a block below).
  { files: ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'], rules: { 'no-restricted-imports': rule(noElectron) } },

  // The Electron shell and the IPC bridge: may import electron and the runtime.
  {
    files: ['src/main/electron/**', 'src/main/ipc/**', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': rule(noRenderer, noPreload, noServer, noEntries) },
  },
  // Preload: electron and src/shared only (its tests may use the fake electron module).
  { files: ['src/preload/**'], rules: { 'no-restricted-imports': rule(noMainFolder, noRenderer, noNode) } },
  {
    files: ['src/preload/**/*.test.ts'],
    rules: {
      'no-restricted-imports': rule(['^\\.{1,2}/(?:.*/)?main/(?!electron/testing/)', 'Preload tests may use src/main/electron/testing only.'], noRenderer),
    },
  },

  // Inner main layers, one block each: never an outer layer. The runtime wires storage, processors,
  // system and library; none of those imports the runtime or each other's upper neighbours.
  ...innerLayer('runtime', []),
  ...innerLayer('processors', ['runtime', 'storage']),
  ...innerLayer('storage', ['runtime', 'processors']),
  ...innerLayer('library', ['runtime', 'storage', 'processors', 'system']),
  ...innerLayer('system', ['runtime', 'storage', 'processors', 'library']),
  // Headless server and entry: plain Node, never electron or the Electron shell.
  {
    files: ['src/main/server/**', 'src/main/headless.ts'],
    rules: { 'no-restricted-imports': rule(noElectron, noShell, noRenderer, noPreload) },
  },
  // Core: pure; src/shared and zod only (tests may also use their test libraries).
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': rule(
        noElectron,
        noNode,
        noOuterMain,
        noRenderer,
        noPreload,
        noEntries,
        ['^(?!zod(?:/|$))[^./]', 'core/ may use no npm package except zod.'],
      ),
    },
  },
  {
    files: ['src/main/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': rule(
        noElectron,
        noNode,
        noOuterMain,
        noRenderer,
        noPreload,
        noEntries,
        ['^(?!(?:zod|vitest|fast-check)(?:/|$))[^./]', 'core/ tests may use zod, vitest and fast-check only.'],
      ),
    },
  },
  // Shared: imported by every layer, so it runs everywhere (no Node, no electron, no main/renderer).
  { files: ['src/shared/**'], rules: { 'no-restricted-imports': rule(noElectron, noNode, noMainFolder, noRenderer, noPreload) } },
  // Renderer: browser code; src/shared only.
  { files: ['src/renderer/**'], rules: { 'no-restricted-imports': rule(noElectron, noNode, noMainFolder, noPreload) } },
);
