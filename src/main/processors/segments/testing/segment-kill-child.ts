/**
 * A runtime with the real processors in its own process, for the segment kill test: it scans
 * `videos/`, starts a segmented lossless transcode of `long.mp4` (chunks of 10 s unless its command
 * line names another `segments`, two at a time) and
 * prints `AT_90 {jobId, videoId, total, done}` once 90 % of its chunks are done, then waits for its
 * SIGKILL (the chunks running then die with it).
 */
import { openTranscodeRuntime } from '../../transcode/testing/transcode-runtime';

// optional: the segments param (JSON, default chunks of 10 s) and the x264 preset (default veryslow)
const [dir, segments, preset] = [process.argv[2]!, process.argv[3] ?? '{"seconds":10}', process.argv[4] ?? 'veryslow'];
const t = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
const videoId = (await t.scan())['long.mp4']!;
const params = { videoId, codec: 'h264', crf: 0, preset, skipIfCodec: false, skipBelowBitsPerPixel: 0, segments: JSON.parse(segments) as unknown, outputPath: 'videos/seg.mp4' };
const jobId = (await t.embedded.runtime.execute('createJob', { type: 'transcode', params })).id;
for (;;) {
  const { data } = await t.embedded.runtime.execute('getJobChildren', { id: jobId });
  const chunks = data.filter((c) => c.type === 'encode_chunk');
  const done = chunks.filter((c) => c.status === 'completed').length;
  if (chunks.length > 0 && done >= Math.ceil(chunks.length * 0.9) - 1 && chunks.some((c) => c.status === 'running')) {
    process.stdout.write(`AT_90 ${JSON.stringify({ jobId, videoId, total: chunks.length, done })}\n`);
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => {}, 1000);
