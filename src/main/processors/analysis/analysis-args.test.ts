import { describe, expect, it } from 'vitest';
import { buildAnalysisArgs, buildClipArgs, buildRangesArgs, buildStillsArgs } from './analysis-args';
import { chooseClipMode } from './clip-export';
import { keyframeAt, keyframeProbeArgs, parseKeyframeProbe } from './keyframes';
import { pickSamples, stillTime } from './scene-stills';

describe('analysis pass arguments', () => {
  it('scdet: hardware decoding, no deblocking, scaled-down frames, printed metrics, null output', () => {
    const args = buildAnalysisArgs({ input: '/lib/a b.mp4', detector: 'scdet', scoresFile: 'scores.partial.txt', loudnessFile: 'loudness.partial.txt' });
    expect(args.slice(0, 8)).toEqual(['-hide_banner', '-nostdin', '-y', '-hwaccel', 'auto', '-skip_loop_filter', 'all', '-i']);
    expect(args[8]).toBe('/lib/a b.mp4');
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:V:0]scale=160:-2:flags=fast_bilinear,scdet=threshold=100,settb=AVTB,metadata=mode=print:file=scores.partial.txt[v];' +
        '[0:a:0]ebur128=metadata=1,asettb=AVTB,ametadata=mode=print:key=lavfi.r128.M:file=loudness.partial.txt[a]',
    );
    expect(args.slice(-9)).toEqual(['-map', '[v]', '-map', '[a]', '-sn', '-dn', '-f', 'null', '-']);
  });

  it('select: scene score and signalstats motion into two files; video only without loudness', () => {
    const args = buildAnalysisArgs({ input: 'rel.mp4', detector: 'select', scoresFile: 's.txt', motionFile: 'm.txt', hwaccel: false });
    expect(args).not.toContain('-hwaccel');
    expect(args).toContain('./rel.mp4');
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/select='gte\(scene,0\)',settb=AVTB,metadata=mode=print:key=lavfi.scene_score:file=s.txt,signalstats,metadata=.*file=m.txt\[v\]$/);
    expect(args).toContain('-an');
  });

  it('keeps small JPEGs a few times a second from the same decode when asked', () => {
    const args = buildAnalysisArgs({ input: '/v.mp4', detector: 'scdet', scoresFile: 's.txt', stills: { pattern: 'still-%d.jpg', fps: 2, width: 320 } });
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/^\[0:V:0\]split\[d\]\[s\];\[s\]fps=2,scale=320:-2:flags=fast_bilinear\[st\];\[d\]scale=160:-2:flags=fast_bilinear,scdet=/);
    expect(args.slice(-12).join(' ')).toBe('-f null - -map [st] -f image2 -frame_pts 1 -q:v 5 ./still-%d.jpg');
  });

  it('refuses file names that would need filter-graph escaping', () => {
    expect(() => buildAnalysisArgs({ input: 'a.mp4', detector: 'scdet', scoresFile: 'x:y;z.txt' })).toThrow(/plain/);
  });
});

describe('stills, ranges and clips', () => {
  it('one fast-seeking input per still, one output per input', () => {
    const args = buildStillsArgs({ input: '/v.mp4', shots: [{ atSeconds: 1, output: '/t/a.partial.jpg' }, { atSeconds: 3.25, output: '/t/b.partial.jpg' }] });
    expect(args.join(' ')).toBe(
      '-hide_banner -nostdin -y -ss 1 -i /v.mp4 -ss 3.25 -i /v.mp4 ' +
        '-map 0:V:0 -frames:v 1 -vf scale=320:-2 -q:v 5 -update 1 /t/a.partial.jpg -map 1:V:0 -frames:v 1 -vf scale=320:-2 -q:v 5 -update 1 /t/b.partial.jpg',
    );
    expect(stillTime({ startSeconds: 2, endSeconds: 4 }, 0.04)).toBe(3);
    expect(stillTime({ startSeconds: 2, endSeconds: 2.04 }, 0.04)).toBe(2);
    const samples = [0, 0.5, 1, 1.5, 2, 2.5, 3].map((t) => ({ t, path: `still-${t * 2}.jpg` }));
    expect(pickSamples([{ startSeconds: 0, endSeconds: 2 }, { startSeconds: 2, endSeconds: 2.4 }, { startSeconds: 2.4, endSeconds: 3.5 }], samples, 0.04).map((s) => s?.t ?? null)).toEqual([1, null, 3]);
  });

  it('ranges: each range its own seeked input, joined by concat, H.264/AAC with faststart', () => {
    const args = buildRangesArgs({ input: '/v.mp4', ranges: [{ startSeconds: 1, endSeconds: 3 }, { startSeconds: 7.5, endSeconds: 8 }], hasAudio: true, output: '/c/d.partial.mp4' });
    expect(args.join(' ')).toContain('-ss 1 -t 2 -i /v.mp4 -ss 7.5 -t 0.5 -i /v.mp4');
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      '[0:V:0]setpts=PTS-STARTPTS[v0];[0:a:0]asetpts=PTS-STARTPTS[a0];[1:V:0]setpts=PTS-STARTPTS[v1];[1:a:0]asetpts=PTS-STARTPTS[a1];' +
        '[v0][a0][v1][a1]concat=n=2:v=1:a=1[cat][aout];[cat]format=yuv420p[vout]',
    );
    expect(args.join(' ')).toMatch(/-c:v libx264 .*-c:a aac .*-movflags \+faststart \/c\/d\.partial\.mp4$/);
    const silent = buildRangesArgs({ input: '/v.mp4', ranges: [{ startSeconds: 0, endSeconds: 1 }], hasAudio: false, output: '/c/d.partial.mp4' });
    expect(silent[silent.indexOf('-filter_complex') + 1]).toBe('[0:V:0]setpts=PTS-STARTPTS[v0];[v0]concat=n=1:v=1:a=0[cat];[cat]format=yuv420p[vout]');
    expect(silent).not.toContain('-c:a');
  });

  it('clip copy: picture shortened by the B-frame delay and half a frame, sound in full', () => {
    const copy = buildClipArgs({ input: '/v.mp4', range: { startSeconds: 1, endSeconds: 3 }, hasAudio: true, output: '/p/c.partial.mp4', mode: { copy: true, reorderDelaySeconds: 0.08, frameSeconds: 0.04, toEnd: false } });
    expect(copy.join(' ')).toBe('-hide_banner -nostdin -y -ss 1 -t 1.9 -i /v.mp4 -ss 1 -t 2 -i /v.mp4 -map 0:V:0 -map 1:a:0 -c copy -movflags +faststart /p/c.partial.mp4');
    const toEnd = buildClipArgs({ input: '/v.mp4', range: { startSeconds: 2.966667, endSeconds: 6 }, hasAudio: false, output: '/p/c.partial.mp4', mode: { copy: true, reorderDelaySeconds: 0, frameSeconds: 0.04, toEnd: true } });
    expect(toEnd.join(' ')).toBe('-hide_banner -nostdin -y -ss 2.966667 -i /v.mp4 -map 0:V:0 -c copy -movflags +faststart /p/c.partial.mp4');
    const encode = buildClipArgs({ input: '/v.mp4', range: { startSeconds: 0.5, endSeconds: 1.5 }, hasAudio: true, output: '/p/c.partial.mp4', mode: { copy: false } });
    expect(encode.join(' ')).toMatch(/^-hide_banner -nostdin -y -ss 0\.5 -t 1 -i \/v\.mp4 -map 0:V:0 -map 0:a:0 -vf format=yuv420p -c:v libx264 .* -c:a aac/);
  });
});

describe('keyframes and the copy decision', () => {
  const probe = JSON.stringify({
    packets: [
      { pts_time: '1.400000', dts_time: '1.320000', flags: 'K_' },
      { pts_time: '1.560000', dts_time: '1.360000', flags: '__' },
      { pts_time: '2.400000', dts_time: '2.320000', flags: 'K_' },
      { pts_time: '2.400000', dts_time: '2.320000', flags: 'K_' },
    ],
    format: { start_time: '1.400000' },
  });

  it('reads keyframes relative to the start time, with their reorder delay', () => {
    const keyframes = parseKeyframeProbe(probe);
    expect(keyframes).toEqual([
      { t: 0, reorderDelay: expect.closeTo(0.08, 9) },
      { t: 1, reorderDelay: expect.closeTo(0.08, 9) },
    ]);
    expect(keyframeAt(keyframes, 1.01, 0.02)).toEqual(keyframes[1]);
    expect(keyframeAt(keyframes, 1.03, 0.02)).toBeNull();
    expect(keyframeProbeArgs('/v.mp4', [3, 1, 3])).toEqual(['-v', 'error', '-select_streams', 'V:0', '-read_intervals', '0.95%1.15,2.95%3.15', '-show_entries', 'packet=pts_time,dts_time,flags:format=start_time', '-of', 'json', '-i', '/v.mp4']);
  });

  it('copies only keyframe-aligned ranges of MP4-friendly codecs', () => {
    const keyframes = [{ t: 0, reorderDelay: 0.08 }, { t: 2, reorderDelay: 0.08 }, { t: 4, reorderDelay: 0.08 }];
    const h264 = { videoCodec: 'h264', audioCodec: 'aac', hasAudio: true };
    expect(chooseClipMode(h264, { startSeconds: 2, endSeconds: 4 }, keyframes, 6, 0.04)).toEqual({ mode: { copy: true, toEnd: false, reorderDelaySeconds: 0.08, frameSeconds: 0.04 }, why: 'keyframes at both ends' });
    expect(chooseClipMode(h264, { startSeconds: 4, endSeconds: 5.99 }, keyframes, 6, 0.04).mode).toMatchObject({ copy: true, toEnd: true });
    expect(chooseClipMode(h264, { startSeconds: 2.5, endSeconds: 4 }, keyframes, 6, 0.04).why).toBe('start 2.50 s is not on a keyframe');
    expect(chooseClipMode(h264, { startSeconds: 2, endSeconds: 3 }, keyframes, 6, 0.04).why).toBe('end 3.00 s is not on a keyframe');
    expect(chooseClipMode({ ...h264, videoCodec: 'vp8' }, { startSeconds: 2, endSeconds: 4 }, keyframes, 6, 0.04).mode.copy).toBe(false);
    expect(chooseClipMode({ ...h264, audioCodec: 'pcm_s16le' }, { startSeconds: 2, endSeconds: 4 }, keyframes, 6, 0.04).why).toMatch(/pcm_s16le audio/);
  });
});
