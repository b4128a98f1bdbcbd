/**
 * The file_added trigger end to end: the real embedded runtime with its library watcher (polling,
 * short stability gate) and real ffprobe. A clip dropped into the inbox becomes a library video and
 * starts a run of the pipeline watching the inbox, not of one watching another folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeClip } from '../../processors/media/testing/clips';
import { createProcessors } from '../../processors/create-processors';
import { loadConfig } from '../config';
import { openEmbeddedRuntime, type EmbeddedRuntime } from '../open-embedded-runtime';
import { waitFor } from '../testing/test-runtime';

let dir: string;
let embedded: EmbeddedRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-file-added-'));
  const config = loadConfig(
    {
      MEDIA_DATA_DIR: join(dir, 'data'),
      MEDIA_LIBRARY_PATH: join(dir, 'library'),
      MEDIA_NODE_ID: 'watch-node',
      MEDIA_WATCH: '1',
      MEDIA_WATCH_MODE: 'polling',
      MEDIA_WATCH_POLL_SECONDS: '0.2',
      MEDIA_WATCH_STABLE_SECONDS: '0.5',
    },
    { reportFlushMs: 20 },
  );
  embedded = await openEmbeddedRuntime(config, { processors: createProcessors });
}, 60_000);

afterAll(async () => {
  await embedded?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('starts a run for a file dropped into a watched folder, for the pipelines that watch that folder', async () => {
  const rt = embedded.runtime;
  const step = { id: 'check', type: 'validate', params: { videoId: '{{video.id}}' } };
  const inbox = await rt.execute('createPipeline', { name: 'Inbox', enabled: true, trigger: { type: 'file_added', folders: ['inbox'] }, steps: [step] });
  const other = await rt.execute('createPipeline', { name: 'Public', enabled: true, trigger: { type: 'file_added', folders: ['public'] }, steps: [step] });
  const off = await rt.execute('createPipeline', { name: 'Off', enabled: false, trigger: { type: 'file_added' }, steps: [step] });
  await makeClip(join(embedded.library.root, 'inbox'), 'dropped.mp4');
  const [run] = await waitFor(async () => {
    const runs = (await rt.execute('listPipelineRuns', { id: inbox.id })).data;
    return runs.length > 0 && runs[0]!.status !== 'running' ? runs : undefined;
  }, 30_000, 'the run of the inbox pipeline');
  expect(run).toMatchObject({ trigger: 'file_added', triggerDetail: 'inbox/dropped.mp4', videoPath: 'inbox/dropped.mp4', status: 'completed' });
  expect((await rt.execute('listPipelineRuns', { id: other.id })).data).toEqual([]);
  expect((await rt.execute('listPipelineRuns', { id: off.id })).data).toEqual([]);
}, 60_000);
