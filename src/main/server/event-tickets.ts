/**
 * One-time, short-lived tickets for the event stream: a browser's EventSource cannot send an
 * Authorization header, and the long-lived token must not travel in a URL (logs, history). A
 * client trades its token for a ticket (POST, bearer auth) and opens the stream with it; the
 * stream then runs as the caller the ticket was issued to.
 */
import { randomBytes } from 'node:crypto';
import type { Caller } from '../../shared/contracts/access';

export class EventTickets {
  private readonly tickets = new Map<string, { expires: number; caller: Caller }>();

  constructor(private readonly ttlMs = 60_000, private readonly now: () => number = Date.now) {}

  issue(caller: Caller): { ticket: string; expiresAt: string } {
    this.prune();
    const ticket = randomBytes(24).toString('base64url');
    const expires = this.now() + this.ttlMs;
    this.tickets.set(ticket, { expires, caller });
    return { ticket, expiresAt: new Date(expires).toISOString() };
  }

  /** Who the ticket was issued to, once per valid ticket; null after that or once expired. */
  redeem(ticket: string): Caller | null {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return entry !== undefined && entry.expires > this.now() ? entry.caller : null;
  }

  private prune(): void {
    const now = this.now();
    for (const [t, entry] of this.tickets) if (entry.expires <= now) this.tickets.delete(t);
  }
}
