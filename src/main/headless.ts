/**
 * Headless entry (plain Node, no Electron): checks the Node version before anything native is
 * loaded (see node-version.ts), then starts the server of headless-server.ts. Importing this
 * module (scripts/start.mjs) starts nothing until runHeadless/startHeadless is called.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HeadlessOptions, HeadlessServer } from './headless-server';
import type { Env } from './runtime/config';
import { nodeVersionProblem } from './node-version';

export type { HeadlessOptions, HeadlessServer };

/** The built web UI: out/renderer beside out/main (built), or the build's out/renderer when run from source (tsx). */
function defaultRendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('out', 'main')) ? join(here, '..', 'renderer') : join(here, '..', '..', 'out', 'renderer');
}

function requireSupportedNode(): void {
  const problem = nodeVersionProblem();
  if (problem === null) return;
  console.error(problem);
  process.exit(1);
}

export async function runHeadless(options: HeadlessOptions = {}): Promise<void> {
  requireSupportedNode();
  await (await import('./headless-server')).runHeadless({ rendererDir: defaultRendererDir(), ...options });
}

export async function startHeadless(env?: Env, options?: HeadlessOptions): Promise<HeadlessServer> {
  requireSupportedNode();
  return (await import('./headless-server')).startHeadless(env, { rendererDir: defaultRendererDir(), ...options });
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await runHeadless();
