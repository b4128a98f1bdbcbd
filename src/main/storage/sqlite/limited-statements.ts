/**
 * Prepared statements whose LIMIT is written into the SQL rather than bound. SQLite (3.54, as
 * bundled with better-sqlite3) compiles a statement again at every run when its LIMIT is a bound
 * parameter: measured on the claim's candidate read, a `SELECT * … LIMIT ?` that finds nothing
 * cost ~20–30 µs against ~1–8 µs with the same LIMIT written in (the cost grows with the number of
 * result columns, the work of compiling it). The limits the hot reads use are few (a category's
 * free slots plus a small lookahead), so one statement per limit is kept; the least recently
 * prepared ones are dropped past MAX_KEPT so an odd caller cannot grow the cache without bound.
 */
import type Database from 'better-sqlite3';

const MAX_KEPT = 64;

export class LimitedStatements<P extends unknown[], R> {
  private readonly kept = new Map<number, Database.Statement<P, R>>();

  constructor(
    private readonly db: Database.Database,
    private readonly sql: (limit: number) => string,
  ) {}

  /** The statement for `limit` (a non-negative integer), prepared the first time it is asked for. */
  get(limit: number): Database.Statement<P, R> {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`Not a LIMIT: ${limit}`);
    let statement = this.kept.get(limit);
    if (!statement) {
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
      statement = this.db.prepare<P, R>(this.sql(limit));
      this.kept.set(limit, statement);
    }
    return statement;
  }
}
