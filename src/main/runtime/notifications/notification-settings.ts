/**
 * The notification settings in the shared settings store (key 'notifications'): rules and webhooks,
 * validated on the way in and on the way out (a row written by a newer or broken version is
 * ignored with a warning, not trusted). Webhook secrets are write-only: a PUT without `secret`
 * keeps the stored one, and the API's view says only whether one is set.
 */
import {
  notificationSettingsSchema,
  type NotificationSettings,
  type NotificationSettingsView,
} from '../../../shared/contracts/notifications';
import type { z } from 'zod';
import type { notificationSettingsInputSchema } from '../../../shared/contracts/notifications';
import { AppError } from '../../../shared/contracts/errors';

export const NOTIFICATION_SETTINGS_KEY = 'notifications';

export const NO_NOTIFICATIONS: NotificationSettings = { rules: [], webhooks: [] };

export interface LoadedNotificationSettings {
  readonly settings: NotificationSettings;
  readonly updatedAt: number | null;
}

/** The settings of a stored row (null: none stored), validated. */
export function notificationSettingsOf(row: { readonly value: unknown; readonly updatedAt: number } | null, logger: Pick<Console, 'warn'>): LoadedNotificationSettings {
  if (!row) return { settings: NO_NOTIFICATIONS, updatedAt: null };
  const parsed = notificationSettingsSchema.safeParse(row.value);
  if (!parsed.success) {
    logger.warn(`The stored notification settings are not valid (${parsed.error.issues[0]?.message ?? 'unknown'}): no notification is sent until they are saved again.`);
    return { settings: NO_NOTIFICATIONS, updatedAt: row.updatedAt };
  }
  return { settings: parsed.data, updatedAt: row.updatedAt };
}

/** The settings a PUT makes: the input with each kept secret taken from `current` (by webhook id). */
export function mergeSecrets(input: z.infer<typeof notificationSettingsInputSchema>, current: NotificationSettings): NotificationSettings {
  const secrets = new Map(current.webhooks.map((w) => [w.id, w.secret]));
  const merged = {
    rules: input.rules,
    webhooks: input.webhooks.map(({ secret, ...hook }) => ({ ...hook, secret: secret === undefined ? (secrets.get(hook.id) ?? null) : secret })),
  };
  const parsed = notificationSettingsSchema.safeParse(merged);
  // the input schema checked the same things; this guards the merge itself
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid notification settings: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/** What GET answers: everything but the secrets. */
export function notificationSettingsView(loaded: LoadedNotificationSettings): NotificationSettingsView {
  return {
    rules: loaded.settings.rules,
    webhooks: loaded.settings.webhooks.map(({ secret, ...hook }) => ({ ...hook, secretSet: secret !== null && secret !== '' })),
    updatedAt: loaded.updatedAt === null ? null : new Date(loaded.updatedAt).toISOString(),
  };
}
