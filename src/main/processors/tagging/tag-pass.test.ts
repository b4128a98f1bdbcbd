import { describe, expect, it } from 'vitest';
import { defaultSampleCount } from './tag-generation';
import { buildTagPassArgs, frameSize, sampleTimes } from './tag-pass';

describe('tag pass', () => {
  it('frames for the model keep the aspect within 640, with even sides', () => {
    expect(frameSize(1920, 1080)).toEqual({ width: 640, height: 360 });
    expect(frameSize(1080, 1920)).toEqual({ width: 360, height: 640 });
    expect(frameSize(480, 480)).toEqual({ width: 480, height: 480 });
    expect(frameSize(321, 241)).toEqual({ width: 322, height: 242 });
    expect(frameSize(null, null)).toEqual({ width: 640, height: 360 });
  });

  it('samples at (k + 0.4) steps; one per 10 s by default, 8 to 32', () => {
    expect(sampleTimes(10, 4)).toEqual([1, 3.5, 6, 8.5]);
    expect([defaultSampleCount(2), defaultSampleCount(150), defaultSampleCount(3600)]).toEqual([8, 15, 32]);
  });

  it('one decode: metric files, raw RGB samples and volumedetect (only with audio), as an argument array', () => {
    const args = buildTagPassArgs({ input: '/lib/a b.mp4', durationSeconds: 10, hasAudio: true, sampleCount: 4, frameWidth: 640, frameHeight: 360 });
    expect(args.slice(0, 5)).toEqual(['-hide_banner', '-nostdin', '-y', '-i', '/lib/a b.mp4']);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain("[m]fps=10,settb=AVTB,scale=160:-2:flags=fast_bilinear,format=yuv420p,select='gte(scene\\,0)',signalstats,");
    expect(graph).toContain('metadata=mode=print:key=lavfi.signalstats.YAVG:file=yavg.txt[mo]');
    expect(graph).toContain('[s]trim=start=1.000,setpts=PTS-STARTPTS,fps=fps=4000/10000,scale=640:360:flags=bilinear,setsar=1,format=rgb24[so]');
    expect(args.join(' ')).toContain('-map [so] -frames:v 4 -f rawvideo frames.rgb -map 0:a:0 -af volumedetect -f null -');
    const silent = buildTagPassArgs({ input: 'x.mp4', durationSeconds: 10, hasAudio: false, sampleCount: 4, frameWidth: 640, frameHeight: 360 });
    expect(silent).not.toContain('volumedetect');
    expect(silent.at(-1)).toBe('frames.rgb');
  });
});
