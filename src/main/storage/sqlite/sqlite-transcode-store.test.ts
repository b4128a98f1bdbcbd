import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeTranscodeStoreConformance } from '../conformance/transcode-store-conformance';
import { openSqliteStores } from './open-sqlite-stores';

const dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-store-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeTranscodeStoreConformance('SQLite', async () => openSqliteStores(join(dir, `transcode-${++n}.db`)));
