/** Where the e2e suite finds the repository, the built headless entry and its artifacts folder. */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const HEADLESS_ENTRY = join(REPO_ROOT, 'out', 'main', 'headless.js');
export const RENDERER_INDEX = join(REPO_ROOT, 'out', 'renderer', 'index.html');
/** Screenshots of each page (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ? resolve(process.env.E2E_ARTIFACTS_DIR) : join(REPO_ROOT, 'test-results', 'e2e');
