import { describe, expect, it } from 'vitest';
import { buildConcatArgs, buildGridArgs, buildQuadArgs, concatDurationSeconds, gridLayout, type CompilationInput } from './compilation-args';
import { buildGifArgs, buildReencodeArgs, buildThumbnailArgs, commonArgs, fileArg, jpegQscale } from './ffmpeg-args';

/** The value after `flag` (first occurrence). */
const after = (args: readonly string[], flag: string) => args[args.indexOf(flag) + 1];

describe('common rules', () => {
  it('-y only for staged partial outputs, -n for final paths, always -nostdin, never -progress', () => {
    expect(commonArgs('/v/out.partial.mp4')).toEqual(['-hide_banner', '-nostdin', '-y']);
    expect(commonArgs('/v/out.mp4')).toEqual(['-hide_banner', '-nostdin', '-n']);
    const all = [
      buildReencodeArgs({ input: '/in.mp4', output: '/o.partial.mp4' }),
      buildThumbnailArgs({ input: '/in.mp4', output: '/o.partial.jpg', atSeconds: 1 }),
      buildGifArgs({ input: '/in.mp4', output: '/o.partial.gif', durationSeconds: 2 }),
    ];
    for (const args of all) {
      expect(args).toContain('-nostdin');
      expect(args.some((a) => a.startsWith('-progress'))).toBe(false);
    }
  });

  it('keeps odd file names from being read as options or protocols', () => {
    expect(fileArg('-weird.mp4')).toBe('./-weird.mp4');
    expect(fileArg('a:b.mp4')).toBe('./a:b.mp4');
    expect(fileArg('/abs/-x.mp4')).toBe('/abs/-x.mp4');
  });
});

describe('buildReencodeArgs', () => {
  it('H.264 + AAC 128k, faststart, optional audio, maxrate/bufsize from the target', () => {
    const args = buildReencodeArgs({
      input: '/in/a b.mov',
      output: '/out/a.partial.mp4',
      encoding: { encoder: 'libx264', crf: 21, preset: 'fast', targetBitrateKbps: 5000 },
      maxHeight: 720,
    });
    expect(args).toEqual([
      '-hide_banner', '-nostdin', '-y',
      '-i', '/in/a b.mov',
      '-map', '0:V:0', '-map', '0:a:0?',
      '-vf', "scale=-2:'min(ih,720)',format=yuv420p",
      '-c:v', 'libx264', '-preset', 'fast', '-crf', '21', '-maxrate', '5000k', '-bufsize', '10000k',
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2',
      '-max_muxing_queue_size', '1024',
      '-movflags', '+faststart',
      '/out/a.partial.mp4',
    ]);
  });

  it('puts device options before the input and the upload at the end of the chain for VAAPI', () => {
    const args = buildReencodeArgs({ input: '/i.mp4', output: '/o.partial.mp4', encoding: { encoder: 'h264_vaapi', crf: 24, preset: 'medium' } });
    expect(args.indexOf('-vaapi_device')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-vf')).toBe('format=nv12,hwupload');
    expect(after(args, '-c:v')).toBe('h264_vaapi');
  });
});

describe('buildThumbnailArgs', () => {
  it('seeks before the input, one frame, scale=W:-2, JPEG quality', () => {
    const args = buildThumbnailArgs({ input: '/i.mp4', output: '/t.partial.jpg', atSeconds: 12.3456, width: 640, quality: 90 });
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-ss')).toBe('12.346');
    expect(after(args, '-frames:v')).toBe('1');
    expect(after(args, '-vf')).toBe('scale=640:-2');
    expect(after(args, '-q:v')).toBe('5');
    expect(jpegQscale(100)).toBe(2);
    expect(jpegQscale(1)).toBe(31);
  });
});

describe('buildGifArgs', () => {
  it('palettegen and paletteuse in one graph with split, start/duration/fps/width', () => {
    const args = buildGifArgs({ input: '/i.mp4', output: '/g.partial.gif', startSeconds: 3, durationSeconds: 4, fps: 12, width: 320 });
    expect(after(args, '-ss')).toBe('3');
    expect(after(args, '-t')).toBe('4');
    expect(args.indexOf('-t')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-filter_complex')).toBe(
      '[0:V:0]fps=12,scale=320:-1:flags=lanczos,split[g1][g2];[g1]palettegen=stats_mode=diff[pal];[g2][pal]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle[gif]',
    );
    expect(() => buildGifArgs({ input: '/i', output: '/o.gif', durationSeconds: 0 })).toThrow(RangeError);
  });
});

const clip = (path: string, hasAudio: boolean, durationSeconds = 10): CompilationInput => ({ path, hasAudio, durationSeconds });

describe('buildQuadArgs', () => {
  it('normalises each input into a cell, stacks 2×2, mixes the audio that exists', () => {
    const args = buildQuadArgs({ inputs: [clip('/a', true, 8), clip('/b', false), clip('/c', true), clip('/d', false)], output: '/q.partial.mp4', fps: 25 });
    expect(args.filter((a) => a === '-i')).toHaveLength(4);
    const graph = after(args, '-filter_complex')!.split(';');
    expect(graph[0]).toBe(
      '[0:V:0]scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=25,format=yuv420p,setpts=PTS-STARTPTS[v0]',
    );
    expect(graph).toContain('[v0][v1][v2][v3]xstack=inputs=4:layout=0_0|640_0|0_360|640_360[stack]');
    expect(graph).toContain('[a0][a2]amix=inputs=2:duration=longest:dropout_transition=0[aout]');
    expect(graph.at(-1)).toBe('[stack]format=yuv420p[vout]');
    expect(after(args, '-t')).toBe('8'); // the shortest input by default
    expect(args).toEqual(expect.arrayContaining(['-map', '[vout]', '[aout]', '+faststart']));
  });

  it('uses generated silence when no input has audio, and insists on four inputs', () => {
    const args = buildQuadArgs({ inputs: [clip('/a', false), clip('/b', false), clip('/c', false), clip('/d', false)], output: '/q.partial.mp4', durationSeconds: 5 });
    expect(after(args, '-filter_complex')).toContain('anullsrc=r=48000:cl=stereo[aout]');
    expect(after(args, '-t')).toBe('5');
    expect(() => buildQuadArgs({ inputs: [clip('/a', true)], output: '/q.mp4' })).toThrow(RangeError);
  });
});

describe('buildGridArgs', () => {
  it('computes a near-square layout', () => {
    expect(gridLayout(1)).toEqual({ columns: 1, rows: 1 });
    expect(gridLayout(5)).toEqual({ columns: 3, rows: 2 });
    expect(gridLayout(9)).toEqual({ columns: 3, rows: 3 });
    expect(gridLayout(10)).toEqual({ columns: 4, rows: 3 });
    expect(gridLayout(100)).toEqual({ columns: 10, rows: 10 });
  });

  it('places N inputs, fills empty cells with black, one audio input passes through', () => {
    const inputs = [clip('/a', false), clip('/b', true), clip('/c', false), clip('/d', false), clip('/e', false)];
    const graph = after(buildGridArgs({ inputs, output: '/g.partial.mp4', width: 1920, fps: 30 }), '-filter_complex')!.split(';');
    expect(graph).toContain('color=c=black:s=640x360:r=30[v5]');
    expect(graph).toContain('[v0][v1][v2][v3][v4][v5]xstack=inputs=6:layout=0_0|640_0|1280_0|0_360|640_360|1280_360[stack]');
    expect(graph).toContain('[a1]anull[aout]');
  });

  it('handles a single input without xstack', () => {
    const graph = after(buildGridArgs({ inputs: [clip('/a', true)], output: '/g.partial.mp4' }), '-filter_complex')!;
    expect(graph).toContain('[v0]null[stack]');
    expect(graph).not.toContain('xstack');
  });
});

describe('buildConcatArgs', () => {
  it('normalises each input, adds silence of the right length where audio is missing, concat a=1', () => {
    const inputs = [clip('/a', true, 3), clip('/b', false, 2.5), clip('/c', true, 4)];
    const args = buildConcatArgs({ inputs, output: '/c.partial.mp4', width: 1280, height: 720, fps: 30 });
    const graph = after(args, '-filter_complex')!.split(';');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=2.5[a1]');
    expect(graph).toContain('[0:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,asetpts=PTS-STARTPTS[a0]');
    expect(graph).toContain('[v0][a0][v1][a1][v2][a2]concat=n=3:v=1:a=1[cat][aout]');
    expect(args).not.toContain('-t');
    expect(concatDurationSeconds(inputs)).toBe(9.5);
  });

  it('refuses an input without audio whose duration is unknown', () => {
    expect(() => buildConcatArgs({ inputs: [clip('/a', false, 0)], output: '/c.mp4' })).toThrow(/durationSeconds/);
  });
});
