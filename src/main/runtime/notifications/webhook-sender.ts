/**
 * Webhook delivery: a JSON POST (Apprise's {title, body, type} plus our fields), signed with
 * HMAC-SHA256 of the exact body bytes under the webhook's secret (`X-Media-Signature: sha256=<hex>`),
 * each try limited by the webhook's timeout, retried after 1 s, 4 s, 16 s, 64 s (5 tries) on the
 * injected timers. A 2xx is delivered; a 4xx other than 408/429 is the receiver refusing it, not
 * a transient failure, so it is not retried. Redirects are not followed (the URL is the one an
 * admin validated). Every try is kept in the DeliveryStore (the database's: the fleet's newest
 * KEPT_DELIVERIES, newest first on read).
 */
import { createHmac } from 'node:crypto';
import type { Delivery, Notification, StoredWebhook } from '../../../shared/contracts/notifications';
import type { Clock, TimerHandle, Timers } from '../../core/clock';
import type { DeliveryStore } from '../../core/notification-ports';
import { webhookBackoffMs, webhookBody } from '../../core/notification-rules';

export interface HttpAnswer {
  readonly status: number;
}

/** One POST; rejects on a network error or when `signal` aborts (the timeout). */
export type HttpPost = (url: string, body: string, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpAnswer>;

export const fetchPost: HttpPost = async (url, body, headers, signal) => {
  const response = await fetch(url, { method: 'POST', body, headers, signal, redirect: 'manual' });
  await response.body?.cancel().catch(() => undefined); // the answer's body is not read: free the socket
  return { status: response.status };
};

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookSenderDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly post?: HttpPost;
  /** Where each try is kept (a failure to keep one is logged; the delivery goes on). */
  readonly log: DeliveryStore;
  /** This node, named in each try kept. */
  readonly nodeId: string;
  readonly userAgent: string;
  readonly logger: Pick<Console, 'warn'>;
}

export class WebhookSender {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Back-off pauses in progress: stop() ends them at once. */
  private readonly pauses = new Map<TimerHandle, () => void>();
  private readonly post: HttpPost;

  constructor(private readonly deps: WebhookSenderDeps) {
    this.post = deps.post ?? fetchPost;
  }

  /** Delivers with retries; resolves with the last try's log entry (never rejects). */
  deliver(webhook: StoredWebhook, notification: Notification, maxTries?: number): Promise<Delivery> {
    const run = this.run(webhook, notification, maxTries);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** No new try starts; pauses end now; resolves once tries in progress have ended. */
  async stop(): Promise<void> {
    this.closed = true;
    for (const [handle, resolve] of this.pauses) {
      this.deps.timers.clearTimeout(handle);
      resolve();
    }
    this.pauses.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(webhook: StoredWebhook, notification: Notification, maxTries = Number.POSITIVE_INFINITY): Promise<Delivery> {
    const body = JSON.stringify(webhookBody(notification));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.deps.userAgent,
      'x-media-event': notification.kind,
      'x-media-delivery': notification.id,
    };
    if (webhook.secret) headers['x-media-signature'] = signBody(body, webhook.secret);
    for (let attempt = 1; ; attempt++) {
      const result = await this.tryOnce(webhook, body, headers);
      const pause = result.retryable && attempt < maxTries ? webhookBackoffMs(attempt) : null;
      const outcome = result.ok ? 'delivered' : pause !== null && !this.closed ? 'retrying' : 'failed';
      const entry: Delivery = {
        webhookId: webhook.id,
        notificationId: notification.id,
        kind: notification.kind,
        attempt,
        at: new Date(result.startedAt).toISOString(),
        outcome,
        httpStatus: result.status,
        error: result.error,
        durationMs: Math.max(0, Math.round(result.durationMs)),
        nodeId: this.deps.nodeId,
      };
      await this.keep(entry);
      if (outcome !== 'retrying') {
        if (outcome === 'failed') this.deps.logger.warn(`Webhook ${webhook.id}: ${notification.kind} not delivered after ${attempt} tr${attempt === 1 ? 'y' : 'ies'} (${result.error ?? `HTTP ${result.status}`}).`);
        return entry;
      }
      await this.pause(pause!);
      if (this.closed) return entry;
    }
  }

  private async tryOnce(webhook: StoredWebhook, body: string, headers: Record<string, string>) {
    const startedAt = this.deps.clock.now();
    const started = performance.now();
    const abort = new AbortController();
    const timer = this.deps.timers.setTimeout(() => abort.abort(new Error(`timed out after ${webhook.timeoutMs} ms`)), webhook.timeoutMs);
    try {
      const { status } = await this.post(webhook.url, body, headers, abort.signal);
      const ok = status >= 200 && status < 300;
      const retryable = !ok && !(status >= 300 && status < 500 && status !== 408 && status !== 429);
      return { ok, retryable, status, error: ok ? null : `HTTP ${status}`, startedAt, durationMs: performance.now() - started };
    } catch (error) {
      const reason = abort.signal.aborted ? abort.signal.reason : error;
      return { ok: false, retryable: true, status: null, error: describe(reason), startedAt, durationMs: performance.now() - started };
    } finally {
      this.deps.timers.clearTimeout(timer);
    }
  }

  private async keep(entry: Delivery): Promise<void> {
    try {
      await this.deps.log.appendDelivery(entry);
    } catch (error) {
      this.deps.logger.warn(`Webhook ${entry.webhookId}: try ${entry.attempt} of ${entry.kind} (${entry.outcome}) could not be kept in the delivery list: ${describe(error)}`);
    }
  }

  private pause(ms: number): Promise<void> {
    // stop() may have come while the try was being kept: no pause it could not end
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = this.deps.timers.setTimeout(() => {
        this.pauses.delete(handle);
        resolve();
      }, ms);
      this.pauses.set(handle, resolve);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
