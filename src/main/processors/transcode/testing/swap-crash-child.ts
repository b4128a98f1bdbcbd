/**
 * A runtime with the real processors in its own process, for the swap kill test: it scans
 * `videos/`, starts a replace of `a.mp4` and stops at the swap step named on its command line
 * (swapSeams), prints `AT_STEP {jobId, videoId, outputSha}` (the SHA-256 of the verified output,
 * wherever it is at that step) and waits for its SIGKILL.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { swapSeams, type SwapStep } from '../swap-files';
import { openTranscodeRuntime } from './transcode-runtime';

const [dir, step] = [process.argv[2]!, process.argv[3] as SwapStep];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let jobId = '';
let videoId = '';
swapSeams.reached = async (reached, info) => {
  if (reached !== step) return;
  const outputSha = sha(existsSync(info.outputPath) ? info.outputPath : info.videoPath);
  process.stdout.write(`AT_STEP ${JSON.stringify({ jobId, videoId, outputSha })}\n`);
  await new Promise<never>(() => {});
};
const t = await openTranscodeRuntime(dir);
videoId = (await t.scan())['a.mp4']!;
jobId = (await t.embedded.runtime.execute('createJob', { type: 'transcode', params: { videoId, codec: 'hevc', mode: 'replace', crf: 28, preset: 'veryfast' } })).id;
setInterval(() => {}, 1000);
