/**
 * Runtime settings (GET/PUT /api/media/settings): slots per category, VRAM headroom, retention and
 * the hang timeout. Stored in the database (app_settings, key `runtime-settings`) and applied live;
 * an environment variable that is set overrides its field, which then shows as locked.
 *
 * Export/import (GET /api/media/settings/export, POST …/import): one JSON document with these
 * settings, the watched folders, the time windows, the notification rules and webhooks (never their
 * secrets) and the pipelines (created or updated by name on import).
 */
import { z } from 'zod';
import { pipelineDocumentShape, checkPipelineDocument } from '../domain/pipeline';
import { crossCheck, notificationRuleSchema, webhookInputSchema } from './notifications';
import { scheduleSettingsSchema } from './queue-control';
import { watchSettingsSchema } from './watch';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const settingLimitsSchema = z.strictObject({ cpu: int(0, 256), gpu_encode: int(0, 64), gpu_ai: int(0, 64) });

export const runtimeSettingsSchema = z.strictObject({
  limits: settingLimitsSchema,
  /** Kept free for other programs when the VRAM budget comes from telemetry (MiB). */
  vramHeadroomMb: int(0, 1_048_576),
  /** Completed and cancelled jobs are deleted this many days after they ended; 0 keeps them. */
  retainCompletedDays: int(0, 36_500),
  /** The same for failed jobs; 0 keeps them. */
  retainFailedDays: int(0, 36_500),
  /** A running job with no progress for this long is stopped and retried (ms, at least 1 s). */
  hangTimeoutMs: int(1_000, 7 * 24 * 3_600_000),
});
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

/** PUT: any subset (limits too); the fields left out keep their values. */
export const runtimeSettingsInputSchema = z.strictObject({
  limits: settingLimitsSchema.partial().optional(),
  vramHeadroomMb: runtimeSettingsSchema.shape.vramHeadroomMb.optional(),
  retainCompletedDays: runtimeSettingsSchema.shape.retainCompletedDays.optional(),
  retainFailedDays: runtimeSettingsSchema.shape.retainFailedDays.optional(),
  hangTimeoutMs: runtimeSettingsSchema.shape.hangTimeoutMs.optional(),
});
export type RuntimeSettingsInput = z.infer<typeof runtimeSettingsInputSchema>;

/** Each setting's field path and the environment variable that overrides it. */
export const SETTING_VARIABLES = {
  'limits.cpu': 'MEDIA_LIMIT_CPU',
  'limits.gpu_encode': 'MEDIA_LIMIT_GPU_ENCODE',
  'limits.gpu_ai': 'MEDIA_LIMIT_GPU_AI',
  vramHeadroomMb: 'MEDIA_VRAM_HEADROOM_MB',
  retainCompletedDays: 'MEDIA_RETAIN_COMPLETED_DAYS',
  retainFailedDays: 'MEDIA_RETAIN_FAILED_DAYS',
  hangTimeoutMs: 'MEDIA_HANG_TIMEOUT_MS',
} as const;
export type SettingField = keyof typeof SETTING_VARIABLES;
export const SETTING_FIELDS = Object.keys(SETTING_VARIABLES) as SettingField[];

export const settingsStateSchema = z.object({
  /** The values in force on this node. */
  settings: runtimeSettingsSchema,
  /** Fields an environment variable sets on this node (field → variable): PUT refuses them. */
  locked: z.record(z.string(), z.string()),
  source: z.enum(['stored', 'defaults']),
  updatedAt: z.string().nullable(),
});
export type SettingsState = z.infer<typeof settingsStateSchema>;

export const SETTINGS_EXPORT_FORMAT = 'media-job-control/settings';

const exportedPipelineSchema = z.strictObject({ enabled: z.boolean().default(false), ...pipelineDocumentShape }).superRefine(checkPipelineDocument);
export type ExportedPipeline = z.infer<typeof exportedPipelineSchema>;

/** A webhook as exported: its secret is never part of the file. */
const exportedWebhookSchema = webhookInputSchema.omit({ secret: true });

export const settingsExportSchema = z.strictObject({
  format: z.literal(SETTINGS_EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  settings: runtimeSettingsInputSchema.optional(),
  watch: watchSettingsSchema.nullable().optional(),
  schedules: scheduleSettingsSchema.nullable().optional(),
  // the same cross-check as PUT /api/media/notifications: a rule naming a webhook the file lacks is
  // refused with the whole document here, before any part is applied, not by the PUT halfway through
  notifications: z.strictObject({ rules: z.array(notificationRuleSchema).max(100), webhooks: z.array(exportedWebhookSchema).max(20) }).superRefine(crossCheck).nullable().optional(),
  pipelines: z
    .array(exportedPipelineSchema)
    .max(500)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (seen.has(p.name)) ctx.addIssue({ code: 'custom', message: `pipeline name "${p.name}" is used twice`, path: [i, 'name'] });
        seen.add(p.name);
      });
    })
    .optional(),
});
export type SettingsExport = z.infer<typeof settingsExportSchema>;

export const settingsImportResultSchema = z.object({
  settings: settingsStateSchema,
  /** Fields of the file not applied because an environment variable sets them here. */
  skippedLocked: z.array(z.string()),
  watch: z.boolean(),
  schedules: z.boolean(),
  notifications: z.boolean(),
  pipelines: z.object({ created: z.array(z.string()), updated: z.array(z.string()) }),
});
export type SettingsImportResult = z.infer<typeof settingsImportResultSchema>;
