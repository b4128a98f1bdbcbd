/** Where the e2e suite finds the repository, the built app and its artifacts folder. */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** What `electron-vite build` writes (and `npm run headless` runs). */
export const BUILD_DIR = join(REPO_ROOT, 'out');
/** Screenshots of each page (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ? resolve(process.env.E2E_ARTIFACTS_DIR) : join(REPO_ROOT, 'test-results', 'e2e');

/** The headless entry inside a copy of the build (`<dir>/out/main/headless.js`, its web UI in `<dir>/out/renderer`). */
export function headlessEntryIn(appDir: string): string {
  return join(appDir, 'out', 'main', 'headless.js');
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's private copy of the build (see global-setup.ts). */
    e2eAppDir: string;
  }
}
