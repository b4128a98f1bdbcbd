/**
 * The runtime the desktop app embeds: the embedded default (SQLite in the per-user data folder or
 * MEDIA_DATA_DIR, the library, GPU telemetry, the processors), shared with the headless server.
 */
import { loadConfig, type Env } from '../runtime/config';
import { openEmbeddedRuntime, type EmbeddedRuntime } from '../runtime/open-embedded-runtime';
import { createProcessors } from '../processors/create-processors';

export type DesktopRuntime = EmbeddedRuntime;

export function openDesktopRuntime(env: Env = process.env): Promise<DesktopRuntime> {
  return openEmbeddedRuntime(loadConfig(env), { processors: createProcessors });
}
