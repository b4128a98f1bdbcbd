import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeSegmentStoreConformance } from '../conformance/segment-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-segment-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeSegmentStoreConformance('SQLite', async () => openSqliteStores(join(dir, `segments-${++n}.db`)), false);
