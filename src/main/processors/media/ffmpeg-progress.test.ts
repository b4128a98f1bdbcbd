import { describe, expect, it } from 'vitest';
import {
  FfmpegProgressParser,
  createProgressThrottle,
  parseClock,
  progressEtaSeconds,
  progressPercent,
  type FfmpegProgress,
} from './ffmpeg-progress';

// Two blocks as ffmpeg 5.1 prints them (the first from before any packet was written).
const FIRST = `frame=0
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=48
out_time_us=-9223372036854775807
out_time_ms=-9223372036854775807
out_time=-2562047788:00:54.775807
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
`;
const SECOND = `frame=219
fps=103.61
stream_0_0_q=-1.0
bitrate= 273.2kbits/s
total_size=295014
out_time_us=8640078
out_time_ms=8640078
out_time=00:00:08.640078
dup_frames=0
drop_frames=0
speed=4.09x
progress=end
`;

const snap = (over: Partial<FfmpegProgress>): FfmpegProgress => ({
  outTimeSeconds: null,
  speed: null,
  fps: null,
  frame: null,
  progress: 'continue',
  ...over,
});

describe('FfmpegProgressParser', () => {
  it('parses blocks, treating the early negative time and N/A as unknown', () => {
    const blocks = new FfmpegProgressParser().push(FIRST + SECOND);
    expect(blocks).toEqual([
      { outTimeSeconds: null, speed: null, fps: 0, frame: 0, progress: 'continue' },
      { outTimeSeconds: 8.640078, speed: 4.09, fps: 103.61, frame: 219, progress: 'end' },
    ]);
  });

  it('reassembles lines split across chunks, byte by byte', () => {
    const parser = new FfmpegProgressParser();
    const blocks = [...SECOND].flatMap((ch) => parser.push(ch));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.outTimeSeconds).toBeCloseTo(8.640078);
  });

  it('reads out_time_ms as microseconds when out_time_us is absent, and out_time alone', () => {
    const parser = new FfmpegProgressParser();
    expect(parser.push('out_time_ms=1500000\nprogress=continue\n')[0]!.outTimeSeconds).toBe(1.5);
    expect(parser.push('out_time=00:01:02.500000\r\nprogress=continue\r\n')[0]!.outTimeSeconds).toBe(62.5);
  });

  it('parses clocks', () => {
    expect(parseClock('01:00:00.25')).toBe(3600.25);
    expect(parseClock('-00:00:01.0')).toBe(-1);
    expect(parseClock('N/A')).toBeNull();
  });
});

describe('percent and ETA', () => {
  it('clamps to 0–99 while running, even past the probed duration', () => {
    expect(progressPercent(snap({ outTimeSeconds: 1 }), 2)).toBe(50);
    expect(progressPercent(snap({ outTimeSeconds: 2.05 }), 2)).toBe(99);
    expect(progressPercent(snap({ outTimeSeconds: 1.999 }), 2)).toBe(99);
    expect(progressPercent(snap({ outTimeSeconds: null }), 2)).toBe(0);
    expect(progressPercent(snap({ outTimeSeconds: 5 }), null)).toBe(0);
  });

  it('is 100 only when the tool reports the end', () => {
    expect(progressPercent(snap({ outTimeSeconds: 0.5, progress: 'end' }), 2)).toBe(100);
  });

  it('computes ETA from speed', () => {
    expect(progressEtaSeconds(snap({ outTimeSeconds: 4, speed: 2 }), 10)).toBe(3);
    expect(progressEtaSeconds(snap({ outTimeSeconds: 4, speed: null }), 10)).toBeNull();
    expect(progressEtaSeconds(snap({ outTimeSeconds: 12, speed: 2 }), 10)).toBe(0);
    expect(progressEtaSeconds(snap({ progress: 'end' }), 10)).toBe(0);
  });
});

describe('createProgressThrottle', () => {
  it('emits every 5 % or every second, whichever first, never backwards, always the final 100', () => {
    let t = 0;
    const offer = createProgressThrottle({ now: () => t });
    expect(offer(0)).toBe(0);
    expect(offer(2)).toBeNull();
    expect(offer(4)).toBeNull();
    expect(offer(5)).toBe(5);
    t = 500;
    expect(offer(7)).toBeNull();
    t = 1100;
    expect(offer(7)).toBe(7); // a second passed since 5
    expect(offer(8)).toBeNull();
    t = 2200;
    expect(offer(7)).toBeNull(); // no growth, nothing to say
    expect(offer(8)).toBe(8);
    expect(offer(3)).toBeNull(); // never backwards
    expect(offer(99)).toBe(99);
    expect(offer(100)).toBe(100);
    expect(offer(100)).toBeNull();
  });

  it('emits 100 even right after another emit', () => {
    const offer = createProgressThrottle({ now: () => 0 });
    expect(offer(98)).toBe(98);
    expect(offer(100)).toBe(100);
  });
});
