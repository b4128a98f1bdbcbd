import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeAnalysisStoreConformance } from '../conformance/analysis-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-analysis-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeAnalysisStoreConformance('SQLite', async () => openSqliteStores(join(dir, `analysis-${++n}.db`)));
