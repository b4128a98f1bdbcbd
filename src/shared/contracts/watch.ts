/**
 * Watched folders (GET/PUT /api/media/watch): which library folders are watched, how (native file
 * events, polling, or chosen per folder by its file system), and how long a file must stay
 * unchanged before it becomes a library video. Stored in the database, so a restart and every node
 * of a fleet see the same settings.
 */
import { z } from 'zod';
import { VIDEO_DIRECTORIES } from '../domain/library';

export const WATCH_MODES = ['auto', 'native', 'polling'] as const;

/** Watched unless settings say otherwise: where users drop files (playback/ and compilations/ hold our own outputs). */
export const DEFAULT_WATCH_FOLDERS = ['inbox', 'videos', 'public'] as const;
export type WatchMode = (typeof WATCH_MODES)[number];

/**
 * A library-relative folder inside one of the video folders (its first segment names the videos'
 * `directoryType`). Only the spelling is checked here; the runtime resolves it against the library
 * (symbolic links included) and refuses one that leads outside.
 */
export const watchFolderSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .transform((s) => s.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^\.\//, ''))
  .refine((s) => s.length > 0 && !s.startsWith('/') && !/^[a-zA-Z]:\//.test(s) && !s.includes('\0'), { message: 'must be a library-relative folder, not an absolute path' })
  .refine((s) => s.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), { message: 'must not contain "..", "." or empty segments' })
  .refine((s) => s.split('/').every((seg) => !seg.startsWith('.')), { message: 'must not name a hidden folder' })
  .refine((s) => (VIDEO_DIRECTORIES as readonly string[]).includes(s.split('/')[0]!), { message: `must be one of ${VIDEO_DIRECTORIES.join(', ')} or a folder inside one` });

export const watchSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  folders: z.array(watchFolderSchema).max(100),
  mode: z.enum(WATCH_MODES),
  /** Polling mode: how often each file and folder is looked at. */
  pollIntervalSeconds: z.number().min(0.1).max(3600),
  /** A new or changed file becomes a video once its size and mtime stayed the same this long. */
  stableSeconds: z.number().min(0).max(86_400),
});
export type WatchSettings = z.infer<typeof watchSettingsSchema>;

/** PUT: any subset of the settings; the fields left out keep their current values. */
export const watchSettingsInputSchema = watchSettingsSchema.partial();
export type WatchSettingsInput = z.infer<typeof watchSettingsInputSchema>;

export const watchFolderStatusSchema = z.object({
  folder: z.string(),
  /** How it is watched right now (auto resolved). */
  mode: z.enum(['native', 'polling']),
  /** The file system type from /proc/mounts (null where unknown). */
  fsType: z.string().nullable(),
  error: z.string().nullable(),
});

export const watchStateSchema = z.object({
  settings: watchSettingsSchema,
  /** `stored`: saved with PUT; `defaults`: from MEDIA_WATCH* (nothing saved yet). */
  source: z.enum(['stored', 'defaults']),
  status: z.object({
    /** This node is watching now (it holds the watcher's lease and watching is enabled). */
    active: z.boolean(),
    /** The node holding the watcher's lease (this node when embedded); null when none does. */
    leaderNodeId: z.string().nullable(),
    /** The folders this node watches, with how (empty where it is not the one watching). */
    folders: z.array(watchFolderStatusSchema),
    /** Files seen but not stable yet. */
    pendingFiles: z.number().int(),
    lastError: z.string().nullable(),
  }),
});
export type WatchState = z.infer<typeof watchStateSchema>;
