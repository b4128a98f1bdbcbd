import { describe, expect, it } from 'vitest';
import { classifyToolFailure } from './tool-failure';

describe('tool failure classification', () => {
  it.each([
    [['/lib/inbox/a.mp4: No such file or directory'], false, /^Input file is missing: /],
    [['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found', '/lib/a.mp4: Invalid data found when processing input'], false, /^Input file is corrupt or not a video: .*moov atom not found/],
    [['Unknown encoder \'h264_nvenc\''], false, /^Unsupported codec: Unknown encoder/],
    [['[out#0/mp4 @ 0x2] Error writing trailer: No space left on device'], true, /^Disk full/],
    [['/lib/playback/x.partial.mp4: Is a directory'], false, /^Cannot write the output: .*Is a directory$/],
    [['/lib/playback/aaaa.partial.mp4: File name too long'], false, /^Cannot write the output: /],
    [['frame=  10 fps=0.0', 'Conversion failed!'], true, /^ffmpeg exited with code 1: Conversion failed!$/],
  ])('%j → retryable %s', (tail, retryable, message) => {
    const error = classifyToolFailure('ffmpeg', 1, null, tail);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('names the signal of a killed tool', () => {
    expect(classifyToolFailure('ffmpeg', null, 'SIGKILL', []).message).toBe('ffmpeg was killed by SIGKILL');
  });
});
