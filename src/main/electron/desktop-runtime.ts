/**
 * The runtime the desktop app embeds: the SQLite store in the per-user data folder (or
 * MEDIA_DATA_DIR) and the processor registry. `close` stops dispatching, waits for running
 * attempts to settle, then closes the database.
 */
import { createRegistry } from '../processors/processor';
import { loadConfig, type Env } from '../runtime/config';
import { createRuntime, type Runtime } from '../runtime/create-runtime';
import { SqliteJobStore } from '../storage/sqlite/sqlite-job-store';

export interface DesktopRuntime {
  readonly runtime: Runtime;
  close(): Promise<void>;
}

export function openDesktopRuntime(env: Env = process.env): DesktopRuntime {
  const config = loadConfig(env);
  const store = new SqliteJobStore({ file: config.databaseFile });
  // Processors for the job families arrive with their own issues; until then jobs wait.
  const runtime = createRuntime({ config, store, processors: createRegistry([]) });
  let closing: Promise<void> | null = null;
  return {
    runtime,
    close() {
      closing ??= (async () => {
        try {
          await runtime.stop();
        } finally {
          await store.close();
        }
      })();
      return closing;
    },
  };
}
