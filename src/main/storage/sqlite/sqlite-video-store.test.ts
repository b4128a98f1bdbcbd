import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describePartialsConformance } from '../conformance/partials-conformance';
import { describeVideoStoreConformance } from '../conformance/video-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-videos-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeVideoStoreConformance('SQLite', async () => openSqliteStores(join(dir, `videos-${++n}.db`)));
describePartialsConformance('SQLite', async () => openSqliteStores(join(dir, `partials-${++n}.db`)));
