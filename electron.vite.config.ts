/**
 * Build of the three Electron targets:
 * - main: two entries sharing chunks. `index` is the desktop entry (imports electron),
 *   `headless` is the plain-Node entry (must never reach electron). npm dependencies stay
 *   external (better-sqlite3 and node-pty are native; node resolves them from node_modules).
 *   package.json has "type": "module", so the output is ESM (out/main/index.js, headless.js).
 * - preload: one CommonJS file with everything bundled, because a sandboxed preload can neither
 *   be an ES module nor require npm packages.
 * - renderer: React + Mantine page rooted at src/renderer, shared with the headless web UI.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { DEV_CONTENT_SECURITY_POLICY } from './src/shared/security/content-security-policy';

const root = import.meta.dirname;

/**
 * The page carries a strict CSP in a meta tag (it applies to file:// and to the headless web UI).
 * Only the dev server needs a looser one: React refresh injects an inline script and HMR uses a
 * websocket.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'media:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/,
        // frame-ancestors is ignored in a meta tag (it works as a header only)
        `$1${DEV_CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ')}$2`,
      );
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          headless: resolve(root, 'src/main/headless.ts'),
        },
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devContentSecurityPolicy()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; the same bundle is served over HTTP
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});
