/**
 * The library watcher's defaults from the environment: the settings it runs with until someone
 * saves others (PUT /api/media/watch stores them in the database, for every node and every restart).
 *
 *   MEDIA_WATCH=0|1                 watching on (default) or off
 *   MEDIA_WATCH_STABLE_SECONDS      quiet time before a new or changed file is registered (30)
 *   MEDIA_WATCH_MODE                auto (default: polling on network file systems) | native | polling
 *   MEDIA_WATCH_POLL_SECONDS        polling interval (30)
 */
import { DEFAULT_WATCH_FOLDERS, WATCH_MODES, type WatchMode, type WatchSettings } from '../../shared/contracts/watch';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  enabled: true,
  folders: [...DEFAULT_WATCH_FOLDERS],
  mode: 'auto',
  pollIntervalSeconds: 30,
  stableSeconds: 30,
};

function secondsFromEnv(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of seconds of at least ${min} (got "${raw}").`);
  return value;
}

export function loadWatchDefaults(env: Env): WatchSettings {
  const d = DEFAULT_WATCH_SETTINGS;
  const watch = env.MEDIA_WATCH;
  if (watch !== undefined && watch !== '' && watch !== '0' && watch !== '1') throw new Error(`MEDIA_WATCH must be 0 or 1 (got "${watch}").`);
  const mode = env.MEDIA_WATCH_MODE;
  if (mode !== undefined && mode !== '' && !(WATCH_MODES as readonly string[]).includes(mode)) throw new Error(`MEDIA_WATCH_MODE must be one of ${WATCH_MODES.join(', ')} (got "${mode}").`);
  return {
    ...d,
    enabled: watch === undefined || watch === '' ? d.enabled : watch === '1',
    mode: mode ? (mode as WatchMode) : d.mode,
    stableSeconds: secondsFromEnv(env, 'MEDIA_WATCH_STABLE_SECONDS', d.stableSeconds, 0),
    pollIntervalSeconds: secondsFromEnv(env, 'MEDIA_WATCH_POLL_SECONDS', d.pollIntervalSeconds, 0.1),
  };
}
