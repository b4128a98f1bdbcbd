/**
 * Notification rules, pure: which rules a happening (a trigger) fires, what the notification says,
 * the per rule+subject throttle, the disk-space threshold (edge-triggered: a folder fires when it
 * goes low, and again only after it recovered), nodes that went offline, the webhook body and its
 * retry back-off. No timers, fs or network: the runtime's notification service does the I/O.
 */
import type { Notification, NotificationLevel, NotificationRule } from '../../shared/contracts/notifications';
import { isSegmentChild } from '../../shared/domain/job-types';

export type DiskFolder = 'library' | 'data';

export interface DiskReading {
  readonly folder: DiskFolder;
  readonly path: string;
  readonly freeBytes: number;
  readonly totalBytes: number;
  readonly nodeId: string;
}

export type NotificationTrigger =
  | { readonly kind: 'job.failed'; readonly job: { readonly id: string; readonly type: string; readonly lastError: string | null; readonly nodeId: string | null } }
  | { readonly kind: 'pipeline.failed'; readonly run: { readonly id: string; readonly pipelineName: string | null; readonly videoPath: string | null } }
  | { readonly kind: 'queue.drained' }
  | { readonly kind: 'disk.low'; readonly disk: DiskReading }
  | { readonly kind: 'node.offline'; readonly node: { readonly id: string; readonly hostname: string } };

export interface NotificationText {
  readonly title: string;
  readonly body: string;
  readonly level: NotificationLevel;
  /** The throttle's key beside the rule (a job type, a folder, a node). */
  readonly subject: string;
}

const GB = 1024 ** 3;

export function formatGb(bytes: number): string {
  return `${(bytes / GB).toFixed(1)} GB`;
}

export function describeTrigger(trigger: NotificationTrigger): NotificationText {
  switch (trigger.kind) {
    case 'job.failed': {
      const { job } = trigger;
      const where = job.nodeId ? ` on ${job.nodeId}` : '';
      return { title: `Job failed: ${job.type}`, body: `Job ${job.id}${where} failed${job.lastError ? `: ${truncate(job.lastError, 300)}` : '.'}`, level: 'failure', subject: job.type };
    }
    case 'pipeline.failed': {
      const { run } = trigger;
      const name = run.pipelineName ?? 'A deleted pipeline';
      return { title: `Pipeline failed: ${name}`, body: `Run ${run.id}${run.videoPath ? ` on ${run.videoPath}` : ''} failed.`, level: 'failure', subject: run.pipelineName ?? run.id };
    }
    case 'queue.drained':
      return { title: 'Queue drained', body: 'No job runs any more; nothing new starts until the queue is resumed.', level: 'success', subject: 'queue' };
    case 'disk.low': {
      const { disk } = trigger;
      const percent = disk.totalBytes > 0 ? ` (${((disk.freeBytes / disk.totalBytes) * 100).toFixed(1)} %)` : '';
      return { title: `Low disk space: ${disk.folder} folder`, body: `${disk.path} on ${disk.nodeId} has ${formatGb(disk.freeBytes)} free${percent}.`, level: 'warning', subject: `${disk.nodeId}:${disk.folder}` };
    }
    case 'node.offline':
      return { title: `Node offline: ${trigger.node.id}`, body: `${trigger.node.id} (${trigger.node.hostname}) missed its heartbeat; its jobs go back to the queue.`, level: 'failure', subject: trigger.node.id };
  }
}

/** The enabled rules of the trigger's kind that it matches (job types); disk rules are fired by diskTransitions. */
export function rulesFor(rules: readonly NotificationRule[], trigger: NotificationTrigger): NotificationRule[] {
  return rules.filter((rule) => {
    if (!rule.enabled || rule.event !== trigger.kind) return false;
    if (rule.event === 'job.failed' && trigger.kind === 'job.failed') {
      // a part of a segmented encode is not a job the user made: one that fails for good fails its
      // parent (which is notified), and one the live guard stopped ends its parent keeping the
      // original. Only a rule that names the part's type asks for it.
      if (isSegmentChild(trigger.job.type)) return rule.jobTypes?.includes(trigger.job.type as never) ?? false;
      return !rule.jobTypes?.length || rule.jobTypes.includes(trigger.job.type as never);
    }
    return rule.event !== 'disk.low';
  });
}

/** Whether a reading is below a disk rule's threshold (either of them, when both are given). */
export function isDiskLow(rule: Extract<NotificationRule, { event: 'disk.low' }>, reading: DiskReading): boolean {
  if (rule.minFreeGb !== undefined && reading.freeBytes < rule.minFreeGb * GB) return true;
  if (rule.minFreePercent !== undefined && reading.totalBytes > 0 && (reading.freeBytes / reading.totalBytes) * 100 < rule.minFreePercent) return true;
  return false;
}

/**
 * One disk check: the rules whose folder went low since the last check fire; `low` is the set of
 * rule ids low now (pass it to the next check). A folder without a reading keeps its state.
 */
export function diskTransitions(
  rules: readonly NotificationRule[],
  readings: ReadonlyMap<DiskFolder, DiskReading>,
  wasLow: ReadonlySet<string>,
): { readonly low: Set<string>; readonly fired: Array<{ readonly rule: NotificationRule; readonly trigger: NotificationTrigger }> } {
  const low = new Set<string>();
  const fired: Array<{ rule: NotificationRule; trigger: NotificationTrigger }> = [];
  for (const rule of rules) {
    if (!rule.enabled || rule.event !== 'disk.low') continue;
    const reading = readings.get(rule.folder);
    if (!reading) {
      if (wasLow.has(rule.id)) low.add(rule.id);
      continue;
    }
    if (!isDiskLow(rule, reading)) continue;
    low.add(rule.id);
    if (!wasLow.has(rule.id)) fired.push({ rule, trigger: { kind: 'disk.low', disk: reading } });
  }
  return { low, fired };
}

/** Nodes whose state turned offline since `previous` (a node first seen offline does not count: it was before we looked). */
export function nodesGoneOffline(
  previous: ReadonlyMap<string, string>,
  nodes: readonly { readonly id: string; readonly hostname: string; readonly state: string }[],
): Array<{ id: string; hostname: string }> {
  return nodes.filter((n) => n.state === 'offline' && previous.has(n.id) && previous.get(n.id) !== 'offline').map((n) => ({ id: n.id, hostname: n.hostname }));
}

/**
 * At most one notification per rule and subject every `throttleMinutes`. Remembers when each key
 * last passed; keys older than a week are forgotten (the throttle's maximum).
 */
export class NotificationThrottle {
  private readonly last = new Map<string, number>();

  allow(rule: Pick<NotificationRule, 'id' | 'throttleMinutes'>, subject: string, now: number): boolean {
    const minutes = rule.throttleMinutes;
    if (!minutes) return true;
    const key = `${rule.id}\u0000${subject}`;
    const before = this.last.get(key);
    if (before !== undefined && now - before < minutes * 60_000) return false;
    this.last.set(key, now);
    if (this.last.size > 1000) for (const [k, at] of this.last) if (now - at > 7 * 24 * 3_600_000) this.last.delete(k);
    return true;
  }
}

/** Tries of one webhook delivery, the first included. */
export const WEBHOOK_MAX_TRIES = 5;

/** The pause before try `attempt + 1` after try `attempt` failed: 1 s, 4 s, 16 s, 64 s; null after the last. */
export function webhookBackoffMs(attempt: number): number | null {
  if (attempt >= WEBHOOK_MAX_TRIES) return null;
  return 1000 * 4 ** (attempt - 1);
}

/** Apprise's body ({title, body, type}) with our fields beside it. */
export function webhookBody(notification: Notification): Record<string, unknown> {
  return {
    title: notification.title,
    body: notification.body,
    type: notification.level,
    event: notification.kind,
    id: notification.id,
    rule: notification.ruleId,
    subject: notification.subject,
    at: notification.at,
    ...(notification.job ? { job: notification.job } : {}),
    ...(notification.node ? { node: notification.node } : {}),
    ...(notification.pipelineRun ? { pipelineRun: notification.pipelineRun } : {}),
    ...(notification.disk ? { disk: notification.disk } : {}),
  };
}

/** The notification a rule makes of a trigger (the id and time from the caller). */
export function buildNotification(trigger: NotificationTrigger, rule: NotificationRule | null, id: string, at: number): Notification {
  const text = describeTrigger(trigger);
  return {
    id,
    kind: trigger.kind,
    ruleId: rule?.id ?? null,
    ...text,
    at: new Date(at).toISOString(),
    channels: { desktop: rule?.channels.desktop ?? false, browser: rule?.channels.browser ?? false },
    ...(trigger.kind === 'job.failed' ? { job: trigger.job } : {}),
    ...(trigger.kind === 'node.offline' ? { node: trigger.node } : {}),
    ...(trigger.kind === 'pipeline.failed' ? { pipelineRun: trigger.run } : {}),
    ...(trigger.kind === 'disk.low' ? { disk: trigger.disk } : {}),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
