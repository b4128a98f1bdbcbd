/**
 * The Notifications form's model: the stored rules and webhooks (GET /api/media/notifications) as
 * an editable draft, the draft back as the PUT body (a webhook's secret is write-only: kept unless
 * replaced or removed), the few checks the form makes before sending (the server makes them all
 * again and names the field: `webhooks.0.url`), and where each error path is shown.
 */
import type { JobType } from '../../../../shared/domain/job-types';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationRule, type NotificationSettingsInput, type NotificationSettingsView } from '../../../../shared/contracts/notifications';

export type { FieldErrors } from '../../lib/settings-save';
import { unplacedErrorsOf, type FieldErrors } from '../../lib/settings-save';

export const EVENT_LABELS: Readonly<Record<NotificationKind, string>> = {
  'job.failed': 'A job failed',
  'pipeline.failed': 'A pipeline run failed',
  'queue.drained': 'The queue drained',
  'disk.low': 'Disk space is low',
  'node.offline': 'A fleet node went offline',
};
export const EVENT_OPTIONS = NOTIFICATION_KINDS.map((value) => ({ value, label: EVENT_LABELS[value] }));
export const FOLDER_OPTIONS = [
  { value: 'library', label: 'Library folder' },
  { value: 'data', label: 'Data folder (database)' },
];

export type Folder = 'library' | 'data';
/** What happens to a webhook's stored secret on save. */
export type SecretAction = 'keep' | 'replace' | 'remove';

export interface RuleDraft {
  /** React key only (not sent). */
  readonly key: string;
  readonly id: string;
  readonly event: NotificationKind;
  readonly enabled: boolean;
  readonly desktop: boolean;
  readonly browser: boolean;
  readonly webhooks: readonly string[];
  /** '' = no throttle. */
  readonly throttleMinutes: number | '';
  /** job.failed: only these types (none: every type). */
  readonly jobTypes: readonly JobType[];
  /** disk.low */
  readonly folder: Folder;
  readonly minFreeGb: number | '';
  readonly minFreePercent: number | '';
}

export interface WebhookDraft {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly enabled: boolean;
  readonly timeoutSeconds: number | '';
  /** The server has a secret for it (as last read). */
  readonly secretSet: boolean;
  readonly secretAction: SecretAction;
  /** The new secret (secretAction 'replace'). */
  readonly secret: string;
}

export interface NotificationsDraft {
  readonly rules: readonly RuleDraft[];
  readonly webhooks: readonly WebhookDraft[];
}

let keys = 0;
const nextKey = () => `n${++keys}`;

function freeId(prefix: string, taken: readonly { id: string }[]): string {
  const used = new Set(taken.map((t) => t.id));
  for (let n = taken.length + 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

export function newRule(rules: readonly RuleDraft[]): RuleDraft {
  return { key: nextKey(), id: freeId('rule', rules), event: 'job.failed', enabled: true, desktop: true, browser: true, webhooks: [], throttleMinutes: '', jobTypes: [], folder: 'library', minFreeGb: 10, minFreePercent: '' };
}

export function newWebhook(webhooks: readonly WebhookDraft[]): WebhookDraft {
  return { key: nextKey(), id: freeId('webhook', webhooks), name: '', url: '', enabled: true, timeoutSeconds: 10, secretSet: false, secretAction: 'keep', secret: '' };
}

const num = (value: number | null | undefined): number | '' => (typeof value === 'number' ? value : '');

function ruleDraft(rule: NotificationRule): RuleDraft {
  return {
    key: nextKey(),
    id: rule.id,
    event: rule.event,
    enabled: rule.enabled,
    desktop: rule.channels.desktop,
    browser: rule.channels.browser,
    webhooks: rule.channels.webhooks,
    throttleMinutes: num(rule.throttleMinutes),
    jobTypes: rule.event === 'job.failed' ? (rule.jobTypes ?? []) : [],
    folder: rule.event === 'disk.low' ? rule.folder : 'library',
    minFreeGb: rule.event === 'disk.low' ? num(rule.minFreeGb) : 10,
    minFreePercent: rule.event === 'disk.low' ? num(rule.minFreePercent) : '',
  };
}

export function toDraft(view: NotificationSettingsView): NotificationsDraft {
  return {
    rules: view.rules.map(ruleDraft),
    webhooks: view.webhooks.map((w) => ({
      key: nextKey(),
      id: w.id,
      name: w.name,
      url: w.url,
      enabled: w.enabled,
      timeoutSeconds: w.timeoutMs / 1000,
      secretSet: w.secretSet,
      secretAction: 'keep',
      secret: '',
    })),
  };
}

type RuleInput = NotificationSettingsInput['rules'][number];
type WebhookInput = NotificationSettingsInput['webhooks'][number];

function ruleInput(r: RuleDraft): RuleInput {
  const base = {
    id: r.id,
    enabled: r.enabled,
    channels: { desktop: r.desktop, browser: r.browser, webhooks: [...r.webhooks] },
    ...(r.throttleMinutes === '' ? {} : { throttleMinutes: r.throttleMinutes }),
  };
  switch (r.event) {
    case 'job.failed':
      return { ...base, event: r.event, ...(r.jobTypes.length > 0 ? { jobTypes: [...r.jobTypes] } : {}) };
    case 'disk.low':
      return {
        ...base,
        event: r.event,
        folder: r.folder,
        ...(r.minFreeGb === '' ? {} : { minFreeGb: r.minFreeGb }),
        ...(r.minFreePercent === '' ? {} : { minFreePercent: r.minFreePercent }),
      };
    default:
      return { ...base, event: r.event };
  }
}

function webhookInput(w: WebhookDraft): WebhookInput {
  return {
    id: w.id,
    name: w.name.trim(),
    url: w.url.trim(),
    enabled: w.enabled,
    ...(w.timeoutSeconds === '' ? {} : { timeoutMs: Math.round(w.timeoutSeconds * 1000) }),
    ...(w.secretAction === 'replace' ? { secret: w.secret } : w.secretAction === 'remove' ? { secret: null } : {}),
  };
}

/** The PUT body: the rules and webhooks replace the stored ones. */
export function toInput(draft: NotificationsDraft): NotificationSettingsInput {
  return { rules: draft.rules.map(ruleInput), webhooks: draft.webhooks.map(webhookInput) };
}

/** Removes a webhook and every rule's reference to it (the server refuses a rule naming an unknown webhook). */
export function withoutWebhook(draft: NotificationsDraft, index: number): NotificationsDraft {
  const gone = draft.webhooks[index]?.id;
  return {
    webhooks: draft.webhooks.filter((_, i) => i !== index),
    rules: draft.rules.map((r) => (gone !== undefined && r.webhooks.includes(gone) ? { ...r, webhooks: r.webhooks.filter((w) => w !== gone) } : r)),
  };
}

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/** What the form can tell before sending, by the server's paths. */
export function validateDraft(draft: NotificationsDraft): FieldErrors {
  const errors: Record<string, string> = {};
  draft.webhooks.forEach((w, i) => {
    if (w.name.trim() === '') errors[`webhooks.${i}.name`] = 'give it a name';
    if (!isHttpUrl(w.url)) errors[`webhooks.${i}.url`] = 'an http:// or https:// URL';
    if (w.secretAction === 'replace' && w.secret.length < 8) errors[`webhooks.${i}.secret`] = 'at least 8 characters';
  });
  draft.rules.forEach((r, i) => {
    if (r.event === 'disk.low' && r.minFreeGb === '' && r.minFreePercent === '') errors[`rules.${i}.minFreeGb`] = 'give GB or percent free';
  });
  return errors;
}

/** The first error at `path` or under it. */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  return Object.entries(errors).find(([p]) => p === path || p.startsWith(`${path}.`))?.[1];
}

const FIELD = /^(rules\.\d+\.(event|jobTypes|folder|minFreeGb|minFreePercent|channels|throttleMinutes|enabled)|webhooks\.\d+\.(name|url|timeoutMs|secret|enabled))(\.|$)/;

/** Errors about one rule or webhook (`rules.2`) that none of its fields shows (an id used twice …). */
export function itemErrors(errors: FieldErrors, prefix: string): string[] {
  return Object.entries(errors)
    .filter(([p]) => (p === prefix || p.startsWith(`${prefix}.`)) && !FIELD.test(p))
    .map(([p, m]) => (p === prefix ? m : `${p.slice(prefix.length + 1)}: ${m}`));
}

/** Errors no rule or webhook shows (said above the form). */
export function unplacedErrors(errors: FieldErrors): string[] {
  return unplacedErrorsOf(errors, /^(rules|webhooks)\.\d+(\.|$)/);
}
