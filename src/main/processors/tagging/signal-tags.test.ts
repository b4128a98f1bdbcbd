import { describe, expect, it } from 'vitest';
import { cutTimesOf, durationClass, frameSignals, orientationOf, parseMeanVolume, parsePrintedKey, resolutionClass, signalTags, type FrameSignal, type SignalMeasures } from './signal-tags';

const frames = (n: number, f: (i: number) => Partial<FrameSignal>): FrameSignal[] => Array.from({ length: n }, (_, i) => ({ t: i / 10, scene: 0, ydif: 0, yavg: 120, ...f(i) }));
const base: SignalMeasures = { width: 1920, height: 1080, durationSeconds: 30, hasAudio: true, meanVolumeDb: -20, frames: frames(300, () => ({ ydif: 3 })) };
const tagsOf = (m: Partial<SignalMeasures>) => Object.fromEntries(signalTags({ ...base, ...m }).map((t) => [t.tag, t.confidence]));

describe('classes', () => {
  it('resolution by the higher of short-side and long-side class', () => {
    expect(resolutionClass(640, 360)).toBe('sd');
    expect(resolutionClass(960, 720)).toBe('hd');
    expect(resolutionClass(1280, 720)).toBe('hd');
    expect(resolutionClass(1920, 800)).toBe('fhd');
    expect(resolutionClass(1080, 1920)).toBe('fhd');
    expect(resolutionClass(2560, 1440)).toBe('fhd');
    expect(resolutionClass(3840, 1600)).toBe('4k');
    expect(resolutionClass(2160, 3840)).toBe('4k');
  });

  it('orientation with a 2 % square band, duration classes', () => {
    expect([orientationOf(1920, 1080), orientationOf(1080, 1920), orientationOf(1000, 1015), orientationOf(1000, 1030)]).toEqual(['landscape', 'portrait', 'square', 'portrait']);
    expect([durationClass(59.9), durationClass(60), durationClass(1199), durationClass(1200)]).toEqual(['short', 'medium', 'medium', 'long']);
  });
});

describe('signalTags', () => {
  it('an ordinary clip: only the classes, whole-video, confidence 1', () => {
    const tags = signalTags(base);
    expect(tags).toEqual([
      { tag: 'fhd', confidence: 1, startSeconds: null, endSeconds: null },
      { tag: 'landscape', confidence: 1, startSeconds: null, endSeconds: null },
      { tag: 'short', confidence: 1, startSeconds: null, endSeconds: null },
    ]);
    expect(signalTags({ ...base, width: null, height: null, durationSeconds: 0, frames: [] })).toEqual([]);
  });

  it('silent: no audio (1), or a mean volume at or under -50 dB rising to 1 at -80', () => {
    expect(tagsOf({ hasAudio: false, meanVolumeDb: null }).silent).toBe(1);
    expect(tagsOf({ meanVolumeDb: -91 }).silent).toBe(1);
    expect(tagsOf({ meanVolumeDb: -65 }).silent).toBe(0.75);
    expect(tagsOf({ meanVolumeDb: -50 }).silent).toBe(0.5);
    expect(tagsOf({ meanVolumeDb: -49 }).silent).toBeUndefined();
    expect(tagsOf({ meanVolumeDb: null }).silent).toBeUndefined();
  });

  it('dark and bright from the mean YAVG', () => {
    expect(tagsOf({ frames: frames(50, () => ({ yavg: 16 })) }).dark).toBe(1);
    expect(tagsOf({ frames: frames(50, () => ({ yavg: 33 })) }).dark).toBe(0.75);
    expect(tagsOf({ frames: frames(50, (i) => ({ yavg: i < 25 ? 16 : 84 })) }).dark).toBe(0.5);
    expect(tagsOf({ frames: frames(50, () => ({ yavg: 51 })) }).dark).toBeUndefined();
    expect(tagsOf({ frames: frames(50, () => ({ yavg: 235 })) }).bright).toBe(1);
    expect(tagsOf({ frames: frames(50, () => ({ yavg: 179 })) }).bright).toBeUndefined();
  });

  it('static and high-motion from the median YDIF, which cuts do not move', () => {
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 0 })) }).static).toBe(1);
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 0.25 })) }).static).toBe(0.75);
    // a slideshow: still pictures, a jump every second
    const slideshow = tagsOf({ frames: frames(100, (i) => (i % 10 === 0 ? { ydif: 120, scene: 0.9 } : { ydif: 0 })) });
    expect(slideshow.static).toBe(1);
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 3 })) }).static).toBeUndefined();
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 18 })) })['high-motion']).toBe(0.75);
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 80 })) })['high-motion']).toBe(1);
    expect(tagsOf({ frames: frames(50, () => ({ ydif: 11 })) })['high-motion']).toBeUndefined();
    // the first frame has no previous frame: its 0 does not count
    expect(tagsOf({ frames: frames(2, (i) => ({ ydif: i === 0 ? 0 : 20 })) }).static).toBeUndefined();
  });

  it('fast-cut: at least 3 cuts and 20 a minute; cuts closer than 0.5 s count once', () => {
    const everySecond = frames(300, (i) => (i % 10 === 0 && i > 0 ? { scene: 0.8 } : {}));
    expect(cutTimesOf(everySecond)).toHaveLength(29);
    expect(tagsOf({ frames: everySecond })['fast-cut']).toBe(1); // 58 a minute
    const everyTwoSeconds = frames(300, (i) => (i % 20 === 0 && i > 0 ? { scene: 0.8 } : {}));
    expect(tagsOf({ frames: everyTwoSeconds })['fast-cut']).toBe(0.7); // 14 cuts in 30 s: 28 a minute
    const everyFourSeconds = frames(300, (i) => (i % 40 === 0 && i > 0 ? { scene: 0.8 } : {}));
    expect(tagsOf({ frames: everyFourSeconds })['fast-cut']).toBeUndefined();
    // two cuts in a 5-s clip are 24 a minute, but too few to tell
    expect(tagsOf({ durationSeconds: 5, frames: frames(50, (i) => (i === 15 || i === 35 ? { scene: 0.9 } : {})) })['fast-cut']).toBeUndefined();
    // a flash: scores over the threshold on consecutive frames are one cut
    expect(cutTimesOf(frames(30, (i) => (i >= 10 && i <= 13 ? { scene: 0.9 } : {})))).toEqual([1]);
    expect(cutTimesOf(frames(30, (i) => (i === 2 ? { scene: 0.3 } : {})))).toEqual([]);
  });
});

describe('parsing', () => {
  it('reads one printed key by frame time (µs pts) and joins the three files', () => {
    const scene = 'frame:0    pts:0       pts_time:0\nlavfi.scene_score=0.000000\nframe:1    pts:100000  pts_time:0.1\nlavfi.scene_score=0.512000\ngarbage\n';
    const ydif = 'frame:0    pts:0       pts_time:0\nlavfi.signalstats.YDIF=0\nframe:1    pts:100000  pts_time:0.1\nlavfi.signalstats.YDIF=12.5\n';
    const yavg = 'frame:0    pts:0       pts_time:0\nlavfi.signalstats.YAVG=30.2\nframe:1    pts:100000  pts_time:0.1\nlavfi.signalstats.YAVG=31\n';
    expect([...parsePrintedKey(scene, 'lavfi.scene_score')]).toEqual([
      [0, 0],
      [0.1, 0.512],
    ]);
    expect(frameSignals(scene, ydif, yavg)).toEqual([
      { t: 0, scene: 0, ydif: 0, yavg: 30.2 },
      { t: 0.1, scene: 0.512, ydif: 12.5, yavg: 31 },
    ]);
    expect(frameSignals('', '', '')).toEqual([]);
  });

  it("reads volumedetect's last mean volume from the console", () => {
    const lines = ['[Parsed_volumedetect_0 @ 0x55] n_samples: 288768', '[Parsed_volumedetect_0 @ 0x55] mean_volume: -91.0 dB', '[Parsed_volumedetect_0 @ 0x55] max_volume: -91.0 dB'];
    expect(parseMeanVolume(lines)).toBe(-91);
    expect(parseMeanVolume(['mean_volume: -20.5 dB', 'mean_volume: -inf dB'])).toBe(-Infinity);
    expect(parseMeanVolume(['frame=  10'])).toBeNull();
  });
});
