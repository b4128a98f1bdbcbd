import { describe, expect, it } from 'vitest';
import { estimateEta, parseFfmpegStatus } from './ffmpeg-status';

describe('ffmpeg status line', () => {
  it('reads frame rate, speed and time from the last status line of a chunk', () => {
    const chunk = 'frame=   10 fps=0.0 q=28.0 size=  0kB time=00:00:00.30 bitrate=N/A speed=0.5x    \rframe=  120 fps= 48 q=28.0 size=  256kB time=00:00:04.00 bitrate= 524.3kbits/s speed=1.92x    \r';
    expect(parseFfmpegStatus(chunk)).toEqual({ fps: 48, speed: 1.92, outTimeSeconds: 4 });
    expect(parseFfmpegStatus('Input #0, mov,mp4 from x.mp4:\n')).toBeNull();
    expect(parseFfmpegStatus('frame=    0 fps=0.0 q=0.0 size=       0kB time=-577014:32:22.77 bitrate=  -0.0kbits/s speed=N/A')).toEqual({ fps: 0, speed: null, outTimeSeconds: null });
  });

  it('estimates the time left from speed and duration, else from the progress so far', () => {
    expect(estimateEta({ progress: 40, startedAt: null, now: 0, status: { fps: 30, speed: 2, outTimeSeconds: 20 }, durationSeconds: 60 })).toBe(20);
    const started = new Date(0).toISOString();
    expect(estimateEta({ progress: 25, startedAt: started, now: 30_000 })).toBe(90);
    expect(estimateEta({ progress: 0, startedAt: started, now: 30_000 })).toBeNull();
  });
});
