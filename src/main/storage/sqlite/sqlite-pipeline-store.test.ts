import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describePipelineStoreConformance } from '../conformance/pipeline-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-pipelines-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describePipelineStoreConformance('SQLite', async () => openSqliteStores(join(dir, `pipelines-${++n}.db`)));
