/**
 * The notifier: a start/stop service that turns what happens into notifications by the stored
 * rules (core/notification-rules.ts), emits each as a `notification` runtime event (the desktop
 * app and the web UI show it where its rule says) and posts it to the rule's webhooks.
 *
 * Who evaluates what, so a fleet notifies once:
 * - job failed, queue drained, node offline: only the holder of the 'notifier' leader lease (always
 *   this node when embedded). It sees other nodes' job changes through the fleet's event relay, and
 *   polls the node registry (listNodes) for state changes;
 * - pipeline run failed: the node that ran the run (its `pipeline.run.updated` event is not relayed);
 * - disk space low: every node, for its own folders (disk-watcher.ts).
 * The service subscribes to the runtime events only while a rule needs them, so a node without
 * such rules keeps the bus listener-free (no job views or stats built for nobody).
 * Settings saved through another node are picked up at this node's next fleet poll (MEDIA_POLL_MS).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contracts/errors';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Fleet } from '../../../shared/contracts/fleet';
import type { Notification, NotificationRule, NotificationSettingsView } from '../../../shared/contracts/notifications';
import type { z } from 'zod';
import type { OPERATIONS, OperationOutput } from '../../../shared/contracts/operations';
import { buildNotification, NotificationThrottle, nodesGoneOffline, rulesFor, type NotificationTrigger } from '../../core/notification-rules';
import type { Clock, Timers } from '../../core/clock';
import type { LeaderLeaseStore, SettingsStore } from '../../core/watch-ports';
import { LeaderLease } from '../leader-lease';
import { ChainedLoop } from '../services/chained-loop';
import type { RuntimeService } from '../services/service';
import { DiskWatcher, systemStatfs, type Statfs } from './disk-watcher';
import { mergeSecrets, NOTIFICATION_SETTINGS_KEY, notificationSettingsOf, notificationSettingsView, type LoadedNotificationSettings } from './notification-settings';
import type { DeliveryStore } from '../../core/notification-ports';
import { SettingsRowGuard } from '../settings-row-guard';
import { MemoryDeliveryStore } from './memory-delivery-store';
import { WebhookSender, type HttpPost } from './webhook-sender';

export const NOTIFIER_LEASE = 'notifier';

export type NotificationOperation = 'getNotifications' | 'setNotifications' | 'testNotification' | 'listNotificationDeliveries';
export type NotificationHandlers = { [N in NotificationOperation]: (input: z.infer<(typeof OPERATIONS)[N]['input']>) => Promise<OperationOutput<N>> };

export interface NotificationServiceDeps {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  readonly nodeId: string;
  /** This process: the lease's holder. */
  readonly holder: string;
  /** Fleet: the leader leases; null when embedded (always the leader). */
  readonly leases: LeaderLeaseStore | null;
  readonly leaseMs: number;
  readonly renewMs: number;
  readonly folders: { readonly library: string; readonly data: string };
  /** The runtime's events: what the rules watch, and where notifications go. */
  subscribe(listener: (event: MediaEvent) => void): () => void;
  emit(event: MediaEvent): void;
  /** Fleet: the node registry as GET /api/fleet/nodes shows it; null when embedded (no node goes offline). */
  readonly listNodes: (() => Promise<Fleet>) | null;
  readonly statfs?: Statfs;
  readonly post?: HttpPost;
  /** Disk checks, node polls and settings re-reads (default 30 s). */
  readonly checkMs?: number;
  readonly userAgent: string;
  /** Where webhook tries are kept (the database's; absent: in memory, this process only). */
  readonly deliveries?: DeliveryStore;
}

export class NotificationService implements RuntimeService {
  readonly name = 'notifier';
  readonly deliveries: DeliveryStore;
  private readonly sender: WebhookSender;
  private readonly lease: LeaderLease;
  private readonly loop: ChainedLoop;
  private readonly disks: DiskWatcher;
  private readonly throttle = new NotificationThrottle();
  private current: LoadedNotificationSettings = { settings: { rules: [], webhooks: [] }, updatedAt: null };
  private readonly row = new SettingsRowGuard();
  private unsubscribe: (() => void) | null = null;
  private running = false;
  /** Job failures already notified (job id, retry count, end): an update of an ended job is not a new failure. */
  private readonly seenFailures = new Set<string>();
  private lastDrainSince: string | null = null;
  private nodeStates: Map<string, string> | null = null;

  constructor(private readonly deps: NotificationServiceDeps) {
    this.deliveries = deps.deliveries ?? new MemoryDeliveryStore();
    this.sender = new WebhookSender({ clock: deps.clock, timers: deps.timers, post: deps.post, log: this.deliveries, nodeId: deps.nodeId, userAgent: deps.userAgent, logger: deps.logger });
    this.disks = new DiskWatcher(deps.folders, deps.nodeId, deps.statfs ?? systemStatfs, deps.logger);
    this.lease = new LeaderLease({
      name: NOTIFIER_LEASE,
      holder: deps.holder,
      store: deps.leases,
      ttlMs: deps.leaseMs,
      renewMs: deps.renewMs,
      clock: deps.clock,
      timers: deps.timers,
      onChange: () => {
        this.nodeStates = null; // a new leader starts its node baseline afresh
        this.reconcile();
      },
      logger: deps.logger,
    });
    const checkMs = deps.checkMs ?? 30_000;
    this.loop = new ChainedLoop(() => this.check(), { timers: deps.timers, intervalMs: checkMs, firstDelayMs: Math.min(checkMs, 1_000), onError: (e) => deps.logger.error('Notification check failed (it runs again at its next interval):', e) });
  }

  async start(): Promise<void> {
    this.running = true;
    await this.refresh();
    this.lease.start();
    this.reconcile();
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop.stop();
    await this.lease.stop();
    this.reconcile();
    await this.sender.stop();
  }

  get isLeader(): boolean {
    return this.lease.isLeader;
  }

  /** One check now (the loop's body; tests call it): settings re-read, disks, node states. */
  async check(): Promise<void> {
    await this.refresh();
    const rules = this.current.settings.rules;
    for (const { rule, trigger } of await this.disks.check(rules)) this.fire(rule, trigger);
    if (this.deps.listNodes && this.lease.isLeader && rules.some((r) => r.enabled && r.event === 'node.offline')) {
      const fleet = await this.deps.listNodes();
      if (this.nodeStates) for (const node of nodesGoneOffline(this.nodeStates, fleet.nodes)) this.notify({ kind: 'node.offline', node });
      this.nodeStates = new Map(fleet.nodes.map((n) => [n.id, n.state]));
    } else this.nodeStates = null;
  }

  readonly handlers: NotificationHandlers = {
    getNotifications: async () => (await this.refresh(), this.view()),
    setNotifications: async (input) => {
      // the secrets kept are those stored at the write (compare and set): another node may have saved since this one's last read
      const saved = await this.row.save(this.deps.settings, NOTIFICATION_SETTINGS_KEY, () => this.deps.clock.now(), (row) => mergeSecrets(input, notificationSettingsOf(row, this.deps.logger).settings));
      this.current = { settings: saved.value, updatedAt: saved.updatedAt };
      this.reconcile();
      return this.view();
    },
    testNotification: async (input) => {
      const { channel, webhookId } = input;
      const notification: Notification = {
        id: randomUUID(),
        kind: 'test',
        ruleId: null,
        title: 'Test notification',
        body: `A test from ${this.deps.nodeId}: notifications reach this ${channel === 'webhook' ? 'webhook' : `${channel} channel`}.`,
        level: 'info',
        at: new Date(this.deps.clock.now()).toISOString(),
        subject: 'test',
        channels: { desktop: channel === 'desktop', browser: channel === 'browser' },
      };
      if (channel !== 'webhook') {
        this.deps.emit({ type: 'notification', notification });
        return { notification, delivery: null };
      }
      await this.refresh();
      const webhook = this.current.settings.webhooks.find((w) => w.id === webhookId);
      if (!webhook) throw new AppError('NOT_FOUND', `No webhook with id ${webhookId}.`);
      // one try, answered at once: the caller wants to see whether the receiver takes it
      return { notification, delivery: await this.sender.deliver(webhook, notification, 1) };
    },
    listNotificationDeliveries: async (input) => {
      return { deliveries: await this.deliveries.listDeliveries(input.webhookId, input.limit) };
    },
  };

  /**
   * The stored settings read again (one row): for the API's answers (in a fleet another node may
   * have saved them since this one's last periodic read, every `checkMs`, and a page served by this
   * node must show, test and merge what is stored, not what this node last saw), and at each fleet
   * poll, so a rule saved through another node applies here within seconds.
   */
  async refresh(): Promise<void> {
    const read = await this.row.reading(() => this.deps.settings.readSetting(NOTIFICATION_SETTINGS_KEY));
    // stale: this node's own save, newer, overlapped the read; same: nothing changed
    if (read.kind !== 'new') return;
    this.current = notificationSettingsOf(read.row, this.deps.logger);
    this.reconcile();
  }

  private view(): NotificationSettingsView {
    return notificationSettingsView(this.current);
  }

  /** Subscribes to the runtime events while an enabled rule this node evaluates needs them. */
  private reconcile(): void {
    const rules = this.current.settings.rules.filter((r) => r.enabled);
    const leader = this.lease.isLeader;
    const wanted = this.running && rules.some((r) => r.event === 'pipeline.failed' || (leader && (r.event === 'job.failed' || r.event === 'queue.drained')));
    if (wanted && !this.unsubscribe) this.unsubscribe = this.deps.subscribe((event) => this.onEvent(event));
    else if (!wanted && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  private onEvent(event: MediaEvent): void {
    const leader = this.lease.isLeader;
    if (event.type === 'job.updated' && event.job.status === 'failed' && leader) {
      const { job } = event;
      const key = `${job.id}:${job.retryCount}:${job.completedAt ?? ''}`;
      if (this.seenFailures.has(key)) return;
      this.seenFailures.add(key);
      if (this.seenFailures.size > 1000) this.seenFailures.delete(this.seenFailures.values().next().value!);
      this.notify({ kind: 'job.failed', job: { id: job.id, type: job.type, lastError: job.lastError, nodeId: job.nodeId } });
    } else if (event.type === 'pipeline.run.updated' && event.run.status === 'failed') {
      this.notify({ kind: 'pipeline.failed', run: { id: event.run.id, pipelineName: event.run.pipelineName, videoPath: event.run.videoPath } });
    } else if (event.type === 'queue.updated' && leader) {
      const drain = event.queue.drain;
      if (drain?.state !== 'drained') return;
      if (drain.since !== null && drain.since === this.lastDrainSince) return; // the same drain, announced again
      this.lastDrainSince = drain.since;
      this.notify({ kind: 'queue.drained' });
    }
  }

  private notify(trigger: NotificationTrigger): void {
    for (const rule of rulesFor(this.current.settings.rules, trigger)) this.fire(rule, trigger);
  }

  private fire(rule: NotificationRule, trigger: NotificationTrigger): void {
    if (!this.running) return;
    const notification = buildNotification(trigger, rule, randomUUID(), this.deps.clock.now());
    if (!this.throttle.allow(rule, notification.subject, this.deps.clock.now())) return;
    this.deps.emit({ type: 'notification', notification });
    for (const id of rule.channels.webhooks) {
      const webhook = this.current.settings.webhooks.find((w) => w.id === id && w.enabled);
      if (webhook) void this.sender.deliver(webhook, notification);
    }
  }
}
