/**
 * Boundary shapes of library transcoding (issue #17): a job's result (GET /jobs/:id/result), the
 * savings computed from the ledger (GET /savings), a video's transcode history and quarantined
 * original (GET /videos/:id/transcodes), and the restore of that original (POST /videos/:id/restore).
 */
import { z } from 'zod';
import { jobId } from './job';
import { videoId } from './video';

/**
 * How a transcode (or re-encode) ended, as the ledger records it:
 *   replaced       the verified output took the original's place (original quarantined)
 *   copied         a verified output was written beside the original (copy mode, reencode_streaming)
 *   kept_original  a check failed or the output would not be smaller: nothing changed
 *   skipped        nothing to do (already the target codec, already efficient, already processed)
 *   failed         the attempt failed: the encode broke, or before it (input gone, probe or encoder start failed); the job failed or will be retried
 *   restored       a user brought the quarantined original back (undoes a `replaced` saving)
 */
export const TRANSCODE_OUTCOMES = ['replaced', 'copied', 'kept_original', 'skipped', 'failed', 'restored'] as const;
export const transcodeOutcomeSchema = z.enum(TRANSCODE_OUTCOMES);
export type TranscodeOutcome = z.infer<typeof transcodeOutcomeSchema>;

/** One check of the proof before replace (streams, duration, frames, decode, savings, quality …). */
export const transcodeCheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  detail: z.string(),
});
export type TranscodeCheck = z.infer<typeof transcodeCheckSchema>;

export const jobResultSchema = z.object({
  jobId,
  jobType: z.string(),
  videoId: videoId.nullable(),
  outcome: transcodeOutcomeSchema,
  /** Why (the failed check, the skip rule), or null when all went as asked. */
  reason: z.string().nullable(),
  mode: z.enum(['copy', 'replace']).nullable(),
  bytesIn: z.number().int(),
  bytesOut: z.number().int().nullable(),
  /** (bytesIn − bytesOut) / bytesIn × 100; null without an output. */
  savedPercent: z.number().nullable(),
  codecIn: z.string().nullable(),
  codecOut: z.string().nullable(),
  encoder: z.string().nullable(),
  nodeId: z.string(),
  gpu: z.string().nullable(),
  wallMs: z.number().int(),
  checks: z.array(transcodeCheckSchema),
  at: z.string(),
});
export type JobResult = z.infer<typeof jobResultSchema>;

export const SAVINGS_GROUPS = ['day', 'codec', 'folder', 'node'] as const;

export const savingsQuerySchema = z.strictObject({
  /** day: UTC date of the ledger row; codec: output codec; folder: the video's folder; node: the node that did the work. */
  groupBy: z.enum(SAVINGS_GROUPS).default('day'),
});

const outcomeCounts = z.record(transcodeOutcomeSchema, z.number().int());

export const savingsTotalsSchema = z.object({
  /** Net bytes saved: replacements minus what restores gave back. */
  bytesSaved: z.number().int(),
  /** Bytes saved by replacements alone (never goes down; media_bytes_saved_total). */
  grossBytesSaved: z.number().int(),
  /** Files replaced (net of restores). */
  filesReplaced: z.number().int(),
  /** Ledger rows by outcome. */
  outcomes: outcomeCounts,
});

export const savingsSchema = z.object({
  groupBy: z.enum(SAVINGS_GROUPS),
  total: savingsTotalsSchema,
  /** One per key (a day, a codec, a folder, a node), largest saving first (days: oldest first). */
  groups: z.array(savingsTotalsSchema.extend({ key: z.string() })),
});
export type Savings = z.infer<typeof savingsSchema>;

export const quarantinedOriginalSchema = z.object({
  /** Library-relative, under `.quarantine/`. */
  path: z.string(),
  /** Where the original will be put back (its name before the replace). */
  originalPath: z.string(),
  sizeBytes: z.number().int(),
  videoCodec: z.string().nullable(),
  jobId: jobId.nullable(),
  quarantinedAt: z.string(),
  /** After this the cleaner deletes it (MEDIA_QUARANTINE_DAYS) and it can no longer be restored. */
  expiresAt: z.string(),
});

export const videoHistoryEntrySchema = z.object({
  action: z.enum(['replaced', 'restored']),
  jobId: jobId.nullable(),
  at: z.string(),
  previousPath: z.string(),
  previousCodec: z.string().nullable(),
  previousSizeBytes: z.number().int().nullable(),
  newPath: z.string(),
  newCodec: z.string().nullable(),
  newSizeBytes: z.number().int().nullable(),
});

export const videoTranscodesSchema = z.object({
  videoId,
  /** The original a replace moved aside, while it can still be restored; null otherwise. */
  quarantined: quarantinedOriginalSchema.nullable(),
  /** Newest first. */
  history: z.array(videoHistoryEntrySchema),
});
export type VideoTranscodes = z.infer<typeof videoTranscodesSchema>;

export const restoreOutputSchema = z.object({
  videoId,
  /** The restored original's library-relative path. */
  path: z.string(),
  sizeBytes: z.number().int(),
  videoCodec: z.string().nullable(),
});
