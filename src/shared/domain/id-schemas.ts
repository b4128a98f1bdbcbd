/**
 * The ids of jobs, videos, pipelines and their runs are UUIDs, which are case-insensitive (RFC 9562):
 * a client that prints them in upper case (some do) must reach the same record. Every id schema
 * accepts either case and gives it in lower case, the case the store writes, so every later
 * comparison (a lookup, a job's params, a duplicate check) sees one spelling.
 */
import { z } from 'zod';

/** A UUID of a `what` (named in the message), given back in lower case. */
export const uuidOf = (what: string) => z.uuid({ message: `must be a ${what} id (UUID)` }).toLowerCase();
