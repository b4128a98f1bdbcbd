/**
 * The environment every child process and worker thread of ours starts with: ours, minus secrets.
 *
 * ffmpeg, ffprobe, nvidia-smi and the detector thread need PATH, HOME, locale, TMPDIR, the GPU
 * selection (CUDA_VISIBLE_DEVICES, NVIDIA_*), LD_LIBRARY_PATH, XDG_* … but never the API token or
 * the database credentials; a tool that crashes and dumps its environment, or a filter that reads
 * it, must have nothing to give away. Dropped:
 * - MEDIA_API_TOKEN, DATABASE_URL, and every libpq variable (PG*: PGPASSWORD, PGUSER, PGHOST …);
 * - as a rule, any name containing TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL, PRIVATE_KEY or
 *   API_KEY (any case);
 * - NODE_OPTIONS, so a Node child cannot be made to preload code meant for us (or an attacker's).
 * Pure: a new object each call, the input untouched.
 */

const DROPPED_NAMES = new Set(['MEDIA_API_TOKEN', 'DATABASE_URL', 'NODE_OPTIONS']);
/** libpq reads its connection settings (password included) from PG* variables. */
const LIBPQ = /^PG/i;
const SECRET_WORDS = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY/i;

/** Whether a variable of this name is kept from children. */
export function isSecretVariable(name: string): boolean {
  return DROPPED_NAMES.has(name.toUpperCase()) || LIBPQ.test(name) || SECRET_WORDS.test(name);
}

/** A copy of `env` without secrets, for `spawn`/`execFile`/node-pty/`new Worker` (`env:`). */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretVariable(name)) continue;
    out[name] = value;
  }
  return out;
}
