/**
 * One-time, short-lived tickets for the event stream: a browser's EventSource cannot send an
 * Authorization header, and the long-lived token must not travel in a URL (logs, history). A
 * client trades its token for a ticket (POST, bearer auth) and opens the stream with it.
 */
import { randomBytes } from 'node:crypto';

export class EventTickets {
  private readonly tickets = new Map<string, number>();

  constructor(private readonly ttlMs = 60_000, private readonly now: () => number = Date.now) {}

  issue(): { ticket: string; expiresAt: string } {
    this.prune();
    const ticket = randomBytes(24).toString('base64url');
    const expires = this.now() + this.ttlMs;
    this.tickets.set(ticket, expires);
    return { ticket, expiresAt: new Date(expires).toISOString() };
  }

  /** True once per valid ticket. */
  redeem(ticket: string): boolean {
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return expires !== undefined && expires > this.now();
  }

  private prune(): void {
    const now = this.now();
    for (const [t, exp] of this.tickets) if (exp <= now) this.tickets.delete(t);
  }
}
