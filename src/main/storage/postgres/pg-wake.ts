/**
 * Wake-ups between fleet nodes over LISTEN/NOTIFY: a node that creates or re-queues work, changes
 * the queue flags or cancels another node's job sends a notification; the others claim at once
 * instead of waiting for their polling backstop.
 *
 * Sending is coalesced per kind: while one NOTIFY of a kind is in flight, further requests of that
 * kind collapse into one more after it (a burst of 1,000 job creations costs a few notifications,
 * and the last one is never lost). Receiving uses one dedicated connection (LISTEN needs a session;
 * a pooled client would be returned and reused), reconnected with back-off when the server goes
 * away; after a reconnect listeners get a 'work' wake-up, since notifications sent meanwhile are lost.
 */
import { Client } from 'pg';
import type { FleetEventBatch, FleetEventChannel, WakeReason, WakeSource } from '../../core/fleet-ports';
import type { Pool } from './pg-db';

export const WAKE_CHANNEL = 'mjc_wake';
/** Job changes relayed between nodes for live UIs (FleetEventBatch + the sender's instance). */
export const EVENTS_CHANNEL = 'mjc_events';

/** What the stores use to send; WakeSource is what runtimes receive with. */
export interface WakeNotifier {
  /** `target`: the node a 'cancel' is for. */
  notify(reason: WakeReason, target?: string): void;
}

interface Payload {
  readonly r: WakeReason;
  /** Target node of a cancel ('' for everyone). */
  readonly t: string;
  /** The sending process, so it ignores its own notifications. */
  readonly i: string;
}

const REASONS: ReadonlySet<string> = new Set<WakeReason>(['work', 'flags', 'cancel']);

export class PgWakeChannel implements WakeNotifier, WakeSource {
  private readonly sending = new Map<string, 'sending' | 'again'>();
  private readonly listeners = new Set<(reason: WakeReason) => void>();
  private readonly eventListeners = new Set<(batch: FleetEventBatch) => void>();
  private client: Client | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs = 100;
  /** The first failed reconnect of an outage is logged, not every one. */
  private warned = false;
  /** Likewise the first wake-up that could not be sent, until one is sent again. */
  private sendWarned = false;

  constructor(
    private readonly pool: Pool,
    private readonly url: string,
    private readonly nodeId: string,
    private readonly instanceId: string,
    private readonly logger: Pick<Console, 'warn'> = console,
  ) {}

  notify(reason: WakeReason, target = ''): void {
    if (this.closed) return;
    const key = JSON.stringify([reason, target]);
    if (this.sending.has(key)) {
      this.sending.set(key, 'again');
      return;
    }
    this.sending.set(key, 'sending');
    void this.send(key, { r: reason, t: target, i: this.instanceId });
  }

  private async send(key: string, payload: Payload): Promise<void> {
    for (;;) {
      // best effort: a lost wake-up costs at most one polling interval, and is said once so a slow pick-up has its reason in the log
      try {
        await this.pool.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, JSON.stringify(payload)]);
        this.sendWarned = false;
      } catch (error) {
        if (!this.sendWarned && !this.closed) {
          this.sendWarned = true;
          this.logger.warn(`Fleet wake-ups: a '${payload.r}' wake-up could not be sent (${error instanceof Error ? error.message : String(error)}); the other nodes pick the work up at their next poll.`);
        }
      }
      if (this.sending.get(key) !== 'again' || this.closed) break;
      this.sending.set(key, 'sending');
    }
    this.sending.delete(key);
  }

  subscribe(listener: (reason: WakeReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Best effort, like wake-ups: a lost batch only delays a remote UI until its next event or reload. */
  private publishEvents(batch: FleetEventBatch): void {
    if (this.closed) return;
    void this.pool.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ ...batch, i: this.instanceId })]).catch(() => undefined);
  }

  /** Job changes relayed between nodes, over the same listening connection. */
  readonly events: FleetEventChannel = {
    publish: (batch) => this.publishEvents(batch),
    subscribe: (listener) => {
      this.eventListeners.add(listener);
      return () => this.eventListeners.delete(listener);
    },
  };

  /** Opens the listening connection; resolves once LISTEN is in place (throws when the server cannot be reached). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    // a connect to a server that is shutting down or starting may never be answered: time it out,
    // or the channel would wait on it forever and never reconnect
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
    client.on('notification', (message) => (message.channel === EVENTS_CHANNEL ? this.receiveEvents(message.payload) : this.receive(message.payload)));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKE_CHANNEL}; LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      this.lost(client);
      throw error;
    }
    this.backoffMs = 100;
  }

  private receive(raw: string | undefined): void {
    let payload: Payload;
    try {
      payload = JSON.parse(raw ?? '') as Payload;
    } catch {
      return;
    }
    if (payload.i === this.instanceId || !REASONS.has(payload.r)) return;
    if (payload.r === 'cancel' && payload.t !== this.nodeId) return;
    this.emit(payload.r);
  }

  private receiveEvents(raw: string | undefined): void {
    let batch: FleetEventBatch & { i?: string };
    try {
      batch = JSON.parse(raw ?? '') as FleetEventBatch & { i?: string };
    } catch {
      return;
    }
    if (batch.i === this.instanceId || !Array.isArray(batch.jobIds)) return;
    for (const listener of this.eventListeners) listener(batch);
  }

  private emit(reason: WakeReason): void {
    for (const listener of this.listeners) listener(reason);
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => {
          this.warned = false;
          this.emit('work');
        },
        (error: unknown) => {
          if (this.warned || this.closed) return;
          this.warned = true;
          this.logger.warn(`Fleet wake-ups: cannot listen on the database (${error instanceof Error ? error.message : String(error)}); retrying with back-off up to 5 s, polling meanwhile.`);
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
