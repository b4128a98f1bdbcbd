/**
 * When the queue may start work, beyond its pause flags: time windows per category in local time
 * (GET/PUT /api/media/schedules), yielding the GPU to the person at the machine (same document),
 * and draining (POST /api/media/queue/drain). The schedule document is stored in the database, so
 * every node of a fleet and every restart see the same one.
 */
import { z } from 'zod';
import { RESOURCE_CATEGORIES } from '../domain/statuses';

// not job.ts's: job.ts imports this file (the queue state carries the drain)
const resourceCategorySchema = z.enum(RESOURCE_CATEGORIES);

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What happens to a category's running jobs when its window closes. */
export const WINDOW_CLOSE_ACTIONS = ['finish', 'suspend'] as const;
export type WindowCloseAction = (typeof WINDOW_CLOSE_ACTIONS)[number];

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const timeOfDay = z.string().regex(HHMM, { message: 'must be a time of day written HH:MM (00:00 to 23:59)' });
/** An end may also be 24:00 (the end of the day). */
const endOfWindow = z.string().refine((s) => s === '24:00' || HHMM.test(s), { message: 'must be a time of day written HH:MM (00:00 to 24:00)' });

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeWindowSchema = z
  .strictObject({
    category: resourceCategorySchema,
    /** Local time the window opens; a window whose end is earlier (22:00–07:00) runs past midnight. */
    start: timeOfDay,
    end: endOfWindow,
    /** The days the window OPENS on (a 22:00–07:00 window on fri closes on sat morning); absent: every day. */
    days: z.array(z.enum(WEEKDAYS)).min(1, { message: 'must name at least one day, or be left out for every day' }).optional(),
    /** At the window's close: let running jobs finish (default), or suspend them until it opens again. */
    atClose: z.enum(WINDOW_CLOSE_ACTIONS).default('finish'),
  })
  .refine((w) => w.start !== w.end, {
    message: 'a window must not open and close at the same time (for a whole day write 00:00 to 24:00)',
    path: ['end'],
  });
export type TimeWindow = z.infer<typeof timeWindowSchema>;

/** Yield the GPU to the person at the machine: hold (or suspend) GPU jobs while they use it. */
export const gpuYieldSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Process names (as in /proc/<pid>/comm, e.g. obs, steam, a game) whose running holds GPU jobs. */
  processNames: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  /** Also hold while another program uses the GPU's video encoder (NVENC sessions that are not ours). */
  watchEncoder: z.boolean().default(true),
  /** hold: start nothing new; suspend: also suspend what runs, resumed once the program has ended. */
  action: z.enum(['hold', 'suspend']).default('hold'),
  categories: z.array(resourceCategorySchema).min(1).default(['gpu_encode', 'gpu_ai']),
  /** How often the process table and the GPU are looked at. */
  pollSeconds: z.number().min(1).max(600).default(5),
});
export type GpuYieldSettings = z.infer<typeof gpuYieldSettingsSchema>;

export const scheduleSettingsSchema = z.strictObject({
  /** IANA zone the windows are read in (e.g. Europe/Berlin); absent: this machine's local zone. */
  timeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }).optional(),
  /** A category without windows is always open; with windows, only within one of them. */
  windows: z.array(timeWindowSchema).max(100).default([]),
  gpuYield: gpuYieldSettingsSchema.default({ enabled: false, processNames: [], watchEncoder: true, action: 'hold', categories: ['gpu_encode', 'gpu_ai'], pollSeconds: 5 }),
});
export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;

/** PUT: the fields given replace the stored ones (windows as a whole list); the others keep their values. */
export const scheduleSettingsInputSchema = z.strictObject({
  timeZone: scheduleSettingsSchema.shape.timeZone.nullable(),
  windows: z.array(timeWindowSchema).max(100),
  gpuYield: gpuYieldSettingsSchema,
}).partial();
export type ScheduleSettingsInput = z.infer<typeof scheduleSettingsInputSchema>;

export const categoryWindowStateSchema = z.object({
  /** New jobs of the category may start (as far as windows say). */
  open: z.boolean(),
  /** Why not, when closed: "outside its window, opens 22:00". */
  reason: z.string().nullable(),
  /** Next opening (ISO) while closed; next close while open within a window; null when it never changes. */
  nextChange: z.string().nullable(),
});

export const scheduleStateSchema = z.object({
  settings: scheduleSettingsSchema,
  source: z.enum(['stored', 'defaults']),
  updatedAt: z.string().nullable(),
  /** The zone the windows are read in now (the setting, or this machine's). */
  timeZone: z.string(),
  categories: z.record(resourceCategorySchema, categoryWindowStateSchema),
  /** This node's GPU yield: the hold's reason while held, else null. */
  gpuHold: z.string().nullable(),
});
export type ScheduleState = z.infer<typeof scheduleStateSchema>;

export const DRAIN_STATES = ['off', 'draining', 'drained'] as const;
export const drainStateSchema = z.object({
  /** draining: nothing new starts anywhere, running jobs finish; drained: none runs any more. */
  state: z.enum(DRAIN_STATES),
  since: z.string().nullable(),
  drainedAt: z.string().nullable(),
  /** Jobs still live (running or suspended, fleet-wide) when last counted. */
  live: z.number().int(),
});
export type DrainState = z.infer<typeof drainStateSchema>;
