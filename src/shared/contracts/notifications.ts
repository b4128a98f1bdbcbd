/**
 * Notifications: rules (which event, which channels, how often) and webhooks, as stored in the
 * settings (key 'notifications'), as the API shows them (webhook secrets write-only: only whether
 * one is set), and the `notification` event the runtime emits for the desktop app and the web UI.
 */
import { z } from 'zod';
import { jobTypeSchema } from './job';

export const NOTIFICATION_KINDS = ['job.failed', 'pipeline.failed', 'queue.drained', 'disk.low', 'node.offline'] as const;
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** Apprise's message types. */
export const notificationLevelSchema = z.enum(['info', 'success', 'warning', 'failure']);
export type NotificationLevel = z.infer<typeof notificationLevelSchema>;

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (at most 64)');

export const notificationChannelsSchema = z.strictObject({
  desktop: z.boolean().default(false),
  browser: z.boolean().default(false),
  /** Ids of webhooks (below) this rule posts to. */
  webhooks: z.array(id).max(20).default([]),
});

const ruleBase = {
  id,
  enabled: z.boolean().default(true),
  channels: notificationChannelsSchema,
  /** At most one notification per this many minutes per rule and subject (a job type, a folder, a node); none when absent. */
  throttleMinutes: z.number().int().min(1).max(10_080).nullable().optional(),
};

export const notificationRuleSchema = z.discriminatedUnion('event', [
  z.strictObject({ ...ruleBase, event: z.literal('job.failed'), /** Only these job types; every type when absent or empty. */ jobTypes: z.array(jobTypeSchema).optional() }),
  z.strictObject({ ...ruleBase, event: z.literal('pipeline.failed') }),
  z.strictObject({ ...ruleBase, event: z.literal('queue.drained') }),
  z
    .strictObject({
      ...ruleBase,
      event: z.literal('disk.low'),
      /** library: MEDIA_LIBRARY_PATH; data: MEDIA_DATA_DIR (the database). */
      folder: z.enum(['library', 'data']),
      minFreeGb: z.number().positive().optional(),
      minFreePercent: z.number().positive().max(100).optional(),
    })
    .refine((r) => r.minFreeGb !== undefined || r.minFreePercent !== undefined, { message: 'give minFreeGb or minFreePercent', path: ['minFreeGb'] }),
  z.strictObject({ ...ruleBase, event: z.literal('node.offline') }),
]);
export type NotificationRule = z.infer<typeof notificationRuleSchema>;

const webhookUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL');

const webhookBase = {
  id,
  name: z.string().min(1).max(100),
  url: webhookUrl,
  enabled: z.boolean().default(true),
  /** One try's limit before it counts as failed (and is retried). */
  timeoutMs: z.number().int().min(500).max(60_000).default(10_000),
};

/** A webhook as stored: with its secret (never returned by the API). */
export const storedWebhookSchema = z.strictObject({ ...webhookBase, secret: z.string().nullable() });
export type StoredWebhook = z.infer<typeof storedWebhookSchema>;

/** A webhook as the API shows it: whether a secret is set, never the secret. */
export const webhookViewSchema = z.object({ ...webhookBase, secretSet: z.boolean() });
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** A webhook in a PUT: `secret` absent keeps the stored one, null removes it, a string sets it. */
export const webhookInputSchema = z.strictObject({ ...webhookBase, secret: z.string().min(8).max(512).nullable().optional() });

/** Ids unique, and every webhook a rule posts to defined: the PUT's check, and the settings import's (settings.ts). */
export function crossCheck(value: { rules: readonly NotificationRule[]; webhooks: readonly { id: string }[] }, ctx: z.RefinementCtx): void {
  const hooks = new Set<string>();
  value.webhooks.forEach((w, i) => {
    if (hooks.has(w.id)) ctx.addIssue({ code: 'custom', message: `webhook id ${w.id} is used twice`, path: ['webhooks', i, 'id'] });
    hooks.add(w.id);
  });
  const rules = new Set<string>();
  value.rules.forEach((r, i) => {
    if (rules.has(r.id)) ctx.addIssue({ code: 'custom', message: `rule id ${r.id} is used twice`, path: ['rules', i, 'id'] });
    rules.add(r.id);
    r.channels.webhooks.forEach((w, j) => {
      if (!hooks.has(w)) ctx.addIssue({ code: 'custom', message: `no webhook with id ${w}`, path: ['rules', i, 'channels', 'webhooks', j] });
    });
  });
}

export const notificationSettingsSchema = z.strictObject({ rules: z.array(notificationRuleSchema).max(100), webhooks: z.array(storedWebhookSchema).max(20) }).superRefine(crossCheck);
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** PUT /api/media/notifications: replaces the rules and the webhooks. */
export const notificationSettingsInputSchema = z.strictObject({ rules: z.array(notificationRuleSchema).max(100), webhooks: z.array(webhookInputSchema).max(20) }).superRefine(crossCheck);
export type NotificationSettingsInput = z.input<typeof notificationSettingsInputSchema>;

export const notificationSettingsViewSchema = z.object({
  rules: z.array(notificationRuleSchema),
  webhooks: z.array(webhookViewSchema),
  /** When they were last saved (null: never, no rule applies). */
  updatedAt: z.string().nullable(),
});
export type NotificationSettingsView = z.infer<typeof notificationSettingsViewSchema>;

/** What the `notification` event and a webhook's body say. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.union([notificationKindSchema, z.literal('test')]),
  ruleId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  level: notificationLevelSchema,
  at: z.string(),
  /** What it is about: a job type, a folder, a node id … (the throttle's key). */
  subject: z.string(),
  /** Where the desktop app and the web UI should show it. */
  channels: z.object({ desktop: z.boolean(), browser: z.boolean() }),
  job: z.object({ id: z.string(), type: z.string(), lastError: z.string().nullable(), nodeId: z.string().nullable() }).optional(),
  node: z.object({ id: z.string(), hostname: z.string() }).optional(),
  pipelineRun: z.object({ id: z.string(), pipelineName: z.string().nullable(), videoPath: z.string().nullable() }).optional(),
  disk: z.object({ folder: z.enum(['library', 'data']), path: z.string(), freeBytes: z.number(), totalBytes: z.number(), nodeId: z.string() }).optional(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const testNotificationInputSchema = z
  .strictObject({ channel: z.enum(['desktop', 'browser', 'webhook']), webhookId: id.optional() })
  .refine((v) => v.channel !== 'webhook' || v.webhookId !== undefined, { message: 'webhookId is needed for the webhook channel', path: ['webhookId'] });

export const deliverySchema = z.object({
  webhookId: z.string(),
  notificationId: z.string(),
  kind: z.string(),
  attempt: z.number().int(),
  at: z.string(),
  /** delivered: a 2xx answer; retrying: failed, another try follows; failed: failed, no try follows. */
  outcome: z.enum(['delivered', 'retrying', 'failed']),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  /** The node that made the try (in a fleet the notifier leader sends most). */
  nodeId: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const testNotificationOutputSchema = z.object({ notification: notificationSchema, delivery: deliverySchema.nullable() });

/** The newest webhook tries kept (the fleet's, together): GET …/deliveries can list them all. */
export const KEPT_DELIVERIES = 1000;

export const deliveriesQuerySchema = z.strictObject({ webhookId: id.optional(), limit: z.coerce.number().int().min(1).max(KEPT_DELIVERIES).default(100) });
export const deliveryListSchema = z.object({ deliveries: z.array(deliverySchema) });
