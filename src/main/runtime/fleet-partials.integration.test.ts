/**
 * Issue #14 finding 2 on a real fleet (two runtimes, one PostgreSQL server, one shared library): a
 * node frozen past its lease while its attempt holds a written partial is rescued; the rescuing
 * node removes that partial; the rerun publishes `x.mp4`; when the frozen attempt continues it
 * publishes nothing and removes nothing but its own files — no `x (1).mp4`, no partial left.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LibraryPaths } from '../library/library-paths';
import type { Processor } from '../processors/processor';
import { LibraryOutput } from '../processors/steps/publish-output';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startFleetTestNode, type FleetTestNode } from './testing/fleet-test-node';
import { waitFor } from './testing/test-runtime';

describe('fleet: a frozen attempt cannot publish over its rescuer', { timeout: 60_000 }, () => {
  let server: PostgresServer;
  let nodes: FleetTestNode[] = [];
  let dir = '';
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => server?.stop());

  it('the rescuer removes the frozen attempt\'s partial; the thawed attempt is fenced; one output, the rerun\'s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-fleet-partials-'));
    const library = new LibraryPaths(join(dir, 'library'));
    library.ensureDirectories();
    const playback = join(library.root, 'playback');
    let thaw!: () => void;
    const thawed = new Promise<void>((r) => (thaw = r));
    let frozenAt = '';
    let fenced: unknown = null;
    // attempt 1 writes its partial and freezes (deaf to its stop, as a SIGSTOPped process); later attempts publish at once
    const writer: Processor = {
      async run(ctx) {
        const output = await LibraryOutput.stage(ctx, library, library.resolve('playback/x.mp4'));
        try {
          await writeFile(output.partialPath, `attempt ${ctx.job.attempt}`);
          if (ctx.job.attempt === 1) {
            frozenAt = output.partialPath;
            await thawed;
          }
          await output.publish((file) => ctx.files.commit(file.relativePath).then((ok) => (ok ? true : null)));
        } catch (error) {
          if (ctx.job.attempt === 1) fenced = error;
          throw error;
        } finally {
          await output.discard();
        }
      },
    };
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args.map(String).join(' ')) };
    const url = await server.createDatabase();
    const frozen = await startFleetTestNode(url, 'frozen', { processor: writer, logger, config: { libraryPath: library.root }, fleet: { pollMs: 100, heartbeatMs: 60_000, sweepMs: 60_000, leaseMs: 180_000 } });
    nodes.push(frozen);
    const { id } = await frozen.runtime.execute('createJob', { type: 'validate', params: {} });
    await waitFor(() => frozenAt !== '' && readdirSync(playback).length === 1, 10_000, 'attempt 1 to write its partial');
    const rescuer = await startFleetTestNode(url, 'rescuer', { processor: writer, logger, config: { libraryPath: library.root }, fleet: { pollMs: 100, heartbeatMs: 100, sweepMs: 100, leaseMs: 1_000 } });
    nodes.push(rescuer);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('UPDATE jobs SET lease_expires_at = 0 WHERE id = $1', [id]);
    await admin.end();

    await waitFor(async () => (await rescuer.runtime.execute('getJob', { id })).status === 'completed', 20_000, 'the rerun to complete');
    expect(readdirSync(playback)).toEqual(['x.mp4']);
    expect(readFileSync(join(playback, 'x.mp4'), 'utf8')).toBe('attempt 2');
    // the rerun (on either node) published; the frozen attempt's partial was removed by the rescuer

    thaw();
    await waitFor(() => fenced !== null, 10_000, 'the thawed attempt to end');
    expect(String(fenced)).toMatch(/no longer owns its job|cancelled|stopped/);
    expect(readdirSync(playback)).toEqual(['x.mp4']);
    expect(readFileSync(join(playback, 'x.mp4'), 'utf8')).toBe('attempt 2');
    const job = await rescuer.runtime.execute('getJob', { id });
    expect(job.log.match(/Completed successfully/g)).toHaveLength(1);
    expect(await rescuer.stores.jobs.takeAbandonedPartials({})).toEqual([]);
    expect(errors).toEqual([]);
  });
});
