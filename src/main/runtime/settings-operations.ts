/**
 * The handlers of /api/media/settings: the live runtime settings (GET/PUT) and the export/import
 * of everything a user configures (runtime settings, watched folders, time windows, notification
 * rules and webhooks without secrets, pipelines by name). Import validates the whole document
 * first (the operation's input schema), then applies it part by part through the same handlers
 * the single pages use, so each part is checked and applied exactly as a PUT would.
 */
import type { Caller } from '../../shared/contracts/access';
import { isAppError } from '../../shared/contracts/errors';
import { SETTINGS_EXPORT_FORMAT, type SettingsExport, type SettingsImportResult } from '../../shared/contracts/settings';
import type { LiveSettings } from './live-settings';
import type { OperationHandlers } from './operations';

export type SettingsOperation = 'getSettings' | 'setSettings' | 'exportSettings' | 'importSettings';
type Used = 'getWatchSettings' | 'setWatchSettings' | 'getSchedules' | 'setSchedules' | 'getNotifications' | 'setNotifications' | 'listPipelines' | 'createPipeline' | 'updatePipeline';
type BaseHandlers = Pick<OperationHandlers, Used>;

/** A part this runtime does not have (no library, no pipeline store) answers NOT_FOUND: exported as absent. */
async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export function settingsHandlers(live: LiveSettings, handlers: () => BaseHandlers, now: () => number): Pick<OperationHandlers, SettingsOperation> {
  // bound lazily: the runtime's handlers (watch, schedules, notifications, pipelines) are assembled after these
  const base = new Proxy({} as BaseHandlers, { get: (_t, name: keyof BaseHandlers) => handlers()[name] });
  return {
    // one row read: another node of a fleet may have saved them since this one's last poll
    getSettings: async () => (await live.load(), live.state()),
    setSettings: async (input) => live.update(input),

    async exportSettings(_input, caller: Caller) {
      await live.load(); // what is stored now, as the other parts read it
      const [watch, schedules, notifications, pipelines] = await Promise.all([
        optional(() => base.getWatchSettings({}, caller)),
        optional(() => base.getSchedules({}, caller)),
        optional(() => base.getNotifications({}, caller)),
        optional(() => base.listPipelines({}, caller)),
      ]);
      const document: SettingsExport = {
        format: SETTINGS_EXPORT_FORMAT,
        version: 1,
        exportedAt: new Date(now()).toISOString(),
        settings: live.exportable(),
        watch: watch && watch.source === 'stored' ? watch.settings : null,
        schedules: schedules && schedules.source === 'stored' ? schedules.settings : null,
        notifications: notifications && notifications.updatedAt !== null
          ? { rules: notifications.rules, webhooks: notifications.webhooks.map(({ secretSet: _secret, ...hook }) => hook) }
          : null,
        pipelines: (pipelines?.data ?? []).map((p) => ({
          enabled: p.enabled,
          name: p.name,
          description: p.description,
          trigger: p.trigger,
          conditions: p.conditions,
          steps: p.steps,
          repeatAfterDays: p.repeatAfterDays,
        })),
      };
      return document;
    },

    async importSettings(document, caller: Caller) {
      await live.load();
      const result: SettingsImportResult = {
        settings: live.state(),
        skippedLocked: [],
        watch: false,
        schedules: false,
        notifications: false,
        pipelines: { created: [], updated: [] },
      };
      // the document was validated as a whole (the operation's input schema) before anything is applied;
      // the watched folders go first: the one check left (a folder leading out of the library) then refuses before anything changed
      if (document.watch) {
        const watch = document.watch;
        result.watch = (await optional(() => base.setWatchSettings(watch, caller))) !== null; // a runtime without a library has none
      }
      if (document.schedules) {
        const { timeZone, windows, gpuYield } = document.schedules;
        await base.setSchedules({ timeZone: timeZone ?? null, windows, gpuYield }, caller);
        result.schedules = true;
      }
      if (document.notifications) {
        await base.setNotifications(document.notifications, caller);
        result.notifications = true;
      }
      if (document.pipelines && document.pipelines.length > 0) {
        const existing = new Map((await base.listPipelines({}, caller)).data.map((p) => [p.name, p])); // NOT_FOUND without a pipeline store
        for (const { enabled, ...doc } of document.pipelines) {
          const current = existing.get(doc.name);
          if (current) {
            await base.updatePipeline({ id: current.id, version: current.version, enabled, ...doc }, caller);
            result.pipelines.updated.push(doc.name);
          } else {
            await base.createPipeline({ enabled, ...doc }, caller);
            result.pipelines.created.push(doc.name);
          }
        }
      }
      if (document.settings) {
        result.skippedLocked = live.lockedChanges(document.settings).map((l) => `${l.field} (${l.variable})`);
        result.settings = await live.update(document.settings, { skipLocked: true });
      }
      return result;
    },
  };
}
