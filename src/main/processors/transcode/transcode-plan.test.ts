/**
 * The pure parts of a transcode: settings (quality defaults, container, settings key, skip rules,
 * duration tolerance), the stream plan and ffmpeg arguments, encoder order and arguments, stream
 * probe parsing (bit depth, HDR10), the proof's checks and the live guard, the quality score parser.
 */
import { describe, expect, it } from 'vitest';
import { transcodeParams } from '../../../shared/domain/job-params';
import { encoderOrder, svtMasteringDisplay, videoEncodeArgs } from './codec-encoders';
import { checkDuration, checkFrames, checkSavings, checkStreams, errorLines, firstFailure, liveGuardVerdict } from './proof';
import { parseScore, sampleSegments } from './quality-check';
import { bitDepthOf, hdrFromSideData, parseStreams, videoBitRate, type MediaStreams } from './stream-probe';
import { buildTranscodeArgs, planStreams } from './transcode-args';
import { bitsPerPixel, containerFor, durationTolerance, qualityFor, settingsKey, skipReason } from './transcode-settings';

const VIDEO_ID = '3f2c6a1e-8b4d-4e2f-9a7c-5d1e0b9c4a11';
const params = (extra: Record<string, unknown> = {}) => transcodeParams.parse({ videoId: VIDEO_ID, ...extra });

function streams(extra: Partial<MediaStreams> = {}): MediaStreams {
  return parseStreams('/lib/videos/a.mkv', {
    format: { duration: '60', size: '6000000', bit_rate: '800000' },
    streams: [
      { index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '24000/1001', pix_fmt: 'yuv420p' },
      { index: 1, codec_type: 'audio', codec_name: 'aac', bit_rate: '128000', channels: 2, tags: { language: 'eng' } },
      { index: 2, codec_type: 'audio', codec_name: 'pcm_s16le', bit_rate: '1536000', channels: 2 },
      { index: 3, codec_type: 'subtitle', codec_name: 'subrip' },
      { index: 4, codec_type: 'attachment', codec_name: 'ttf' },
      { index: 5, codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
    ],
    ...extra,
  } as never);
}

describe('transcode settings', () => {
  it('has per-codec quality defaults per encoder family, and takes the asked value of the family', () => {
    expect([qualityFor({}, 'h264', 'software'), qualityFor({}, 'hevc', 'software'), qualityFor({}, 'av1', 'software')]).toEqual([23, 26, 32]);
    expect([qualityFor({}, 'hevc', 'nvenc'), qualityFor({}, 'hevc', 'qsv'), qualityFor({}, 'hevc', 'vaapi')]).toEqual([28, 25, 25]);
    expect(qualityFor({ crf: 20, cq: 30, globalQuality: 22 }, 'hevc', 'nvenc')).toBe(30);
    expect(qualityFor({ crf: 20, cq: 30, globalQuality: 22 }, 'av1', 'qsv')).toBe(22);
  });

  it("keeps the original's container unless asked", () => {
    expect([containerFor(undefined, 'videos/a.MP4'), containerFor(undefined, 'videos/a.mov'), containerFor(undefined, 'videos/a.ts'), containerFor('mp4', 'videos/a.mkv')]).toEqual(['mp4', 'mp4', 'mkv', 'mp4']);
  });

  it('names the settings, not the video, nor force, nor where a copy goes; defaults count as given', () => {
    const key = settingsKey('transcode', params());
    expect(key).toMatch(/^transcode:[0-9a-f]{24}$/);
    expect(settingsKey('transcode', params({ videoId: '11111111-1111-4111-8111-111111111111', force: true }))).toBe(key);
    expect(settingsKey('transcode', params({ codec: 'hevc', preset: 'medium' }))).toBe(key);
    expect(settingsKey('transcode', params({ crf: 27 }))).not.toBe(key);
    expect(settingsKey('transcode', params({ mode: 'replace' }))).not.toBe(key);
  });

  it('skips the target codec and videos already below the bits-per-pixel line, unless it scales them down', () => {
    const p = params();
    expect(skipReason(p, { videoCodec: 'hevc' })).toBe('already hevc');
    expect(skipReason({ ...p, skipIfCodec: false }, { videoCodec: 'hevc' })).toBeNull();
    expect(skipReason({ ...p, maxHeight: 720 }, { videoCodec: 'hevc' }, 1080)).toBeNull();
    expect(skipReason(p, { videoCodec: 'h264', bitsPerPixel: 0.03 })).toBe('already efficient: 0.030 bits per pixel, below 0.04');
    expect(skipReason(p, { videoCodec: 'h264', bitsPerPixel: 0.05 })).toBeNull();
    expect(skipReason({ ...p, skipBelowBitsPerPixel: 0 }, { videoCodec: 'h264', bitsPerPixel: 0.001 })).toBeNull();
    expect(bitsPerPixel(2_000_000, 1920, 1080, 25)).toBeCloseTo(0.0386, 3);
    expect(bitsPerPixel(null, 1920, 1080, 25)).toBeNull();
  });

  it('allows half a second or a frame per minute of drift, whichever is larger', () => {
    expect(durationTolerance(10, 25)).toBe(0.5);
    expect(durationTolerance(7200, 24)).toBeCloseTo(5, 5);
  });

  it('refuses outputPath in replace mode and an SSIM minimum above 1', () => {
    expect(transcodeParams.safeParse({ videoId: VIDEO_ID, mode: 'replace', outputPath: 'videos/x.mkv' }).success).toBe(false);
    expect(transcodeParams.safeParse({ videoId: VIDEO_ID, verifyQuality: { metric: 'ssim', min: 2 } }).success).toBe(false);
    expect(transcodeParams.safeParse({ videoId: VIDEO_ID, container: 'mp4', outputPath: 'videos/x.mkv' }).success).toBe(false);
    expect(transcodeParams.safeParse({ videoId: VIDEO_ID, codec: 'vp9' }).success).toBe(false);
  });
});

describe('stream probe parsing', () => {
  it('finds the picture (not cover art), the tracks, and the video bit rate', () => {
    const s = streams();
    expect(s.video).toMatchObject({ index: 0, codec: 'h264', bitDepth: 8, fps: expect.closeTo(23.976, 3) });
    expect(s.audio.map((a) => a.index)).toEqual([1, 2]);
    expect(s.subtitles.map((a) => a.index)).toEqual([3]);
    expect(s.attachments.map((a) => a.codec)).toEqual(['ttf', 'mjpeg']);
    // the file's rate less its audio tracks' (never below 0), unless the stream states its own
    expect(videoBitRate(s)).toBe(0);
    expect(videoBitRate({ ...s, audio: s.audio.slice(0, 1) })).toBe(672_000);
    expect(videoBitRate({ ...s, video: { ...s.video, bitRate: 500_000 } })).toBe(500_000);
  });

  it('reads bit depths and HDR10 side data', () => {
    expect(['yuv420p', 'yuv420p10le', 'p010le', 'yuv444p12be', 'nv12', 'gray', null].map(bitDepthOf)).toEqual([8, 10, 10, 12, 8, 8, 8]);
    const hdr = hdrFromSideData([
      { side_data_type: 'Mastering display metadata', red_x: '34000/50000', red_y: '16000/50000', green_x: '13250/50000', green_y: '34500/50000', blue_x: '7500/50000', blue_y: '3000/50000', white_point_x: '15635/50000', white_point_y: '16450/50000', min_luminance: '1/10000', max_luminance: '10000000/10000' },
      { side_data_type: 'Content light level metadata', max_content: 1000, max_average: 400 },
    ]);
    expect(hdr).toEqual({ masteringDisplay: 'G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)', maxCll: 1000, maxFall: 400 });
    expect(hdrFromSideData([{ side_data_type: 'H.26[45] User Data Unregistered SEI message' }])).toBeNull();
    expect(svtMasteringDisplay(hdr!.masteringDisplay!)).toBe('G(0.265,0.69)B(0.15,0.06)R(0.68,0.32)WP(0.3127,0.329)L(1000,0.0001)');
  });
});

describe('stream plan and arguments', () => {
  it('keeps every track by default; MP4 gets mov_text and AAC for audio it cannot carry; MKV keeps attachments', () => {
    const mkv = planStreams(streams(), params(), 'mkv');
    expect(mkv).toEqual({ videoIndex: 0, audio: [{ index: 1, codec: 'copy' }, { index: 2, codec: 'copy' }], subtitles: [{ index: 3, codec: 'copy' }], attachments: true, refused: null });
    const mp4 = planStreams(streams(), params(), 'mp4');
    expect(mp4.audio).toEqual([{ index: 1, codec: 'copy' }, { index: 2, codec: 'aac' }]);
    expect(mp4.subtitles).toEqual([{ index: 3, codec: 'mov_text' }]);
    expect(planStreams(streams(), params({ keepAllAudio: false, keepSubtitles: false, audio: 'opus' }), 'mkv')).toMatchObject({ audio: [{ index: 1, codec: 'libopus' }], subtitles: [] });
  });

  it('refuses bitmap subtitles in MP4 rather than dropping them', () => {
    const pgs = parseStreams('/x.mkv', { streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', width: 64, height: 64 }, { index: 1, codec_type: 'subtitle', codec_name: 'hdmv_pgs_subtitle' }] } as never);
    expect(planStreams(pgs, params(), 'mp4').refused).toMatch(/bitmap subtitle track\(s\) \(hdmv_pgs_subtitle\) cannot be kept in mp4/);
    expect(planStreams(pgs, params({ keepSubtitles: false }), 'mp4').refused).toBeNull();
  });

  it('builds an argument array: maps, passthrough frames, colour tags, per-track codecs, faststart and hvc1 for MP4', () => {
    const s = { ...streams(), video: { ...streams().video, colorPrimaries: 'bt709', colorTransfer: 'bt709', colorSpace: 'bt709', colorRange: 'tv' } };
    const args = buildTranscodeArgs({ input: '/lib/videos/a.mkv', output: '/lib/videos/a.1234abcd-a1.partial.mp4', container: 'mp4', encoder: 'libx265', quality: 26, preset: 'slow', maxHeight: 720, audioBitrateKbps: 128, streams: s, plan: planStreams(s, params(), 'mp4') });
    const text = args.join(' ');
    expect(args.slice(0, 3)).toEqual(['-hide_banner', '-nostdin', '-y']);
    expect(text).toContain('-map 0:0 -map 0:1 -map 0:2 -map 0:3 -map_metadata 0 -map_chapters 0');
    expect(text).toContain("-vf scale=-2:'min(ih,720)',format=yuv420p -c:v libx265 -preset slow -crf 26 -x265-params log-level=error");
    expect(text).toContain('-color_primaries bt709 -color_trc bt709 -colorspace bt709 -color_range tv -fps_mode passthrough');
    expect(text).toContain('-c:a:0 copy -c:a:1 aac -b:a:1 128k -c:s:0 mov_text -movflags +faststart -tag:v hvc1');
    expect(args.at(-1)).toBe('/lib/videos/a.1234abcd-a1.partial.mp4');
  });

  it('keeps 10 bits and HDR10 for HEVC and AV1, not for H.264', () => {
    const hdr = { ...streams(), video: { ...streams().video, pixFmt: 'yuv420p10le', bitDepth: 10 }, hdr: { masteringDisplay: 'G(1,2)B(3,4)R(5,6)WP(7,8)L(10000000,1)', maxCll: 1000, maxFall: 400 } };
    const plan = planStreams(hdr, params(), 'mkv');
    const x265 = buildTranscodeArgs({ input: 'in.mkv', output: 'out.partial.mkv', container: 'mkv', encoder: 'libx265', quality: 26, preset: 'medium', audioBitrateKbps: 128, streams: hdr, plan }).join(' ');
    expect(x265).toContain('format=yuv420p10le -c:v libx265');
    expect(x265).toContain('hdr10=1:hdr10-opt=1:master-display=G(1,2)B(3,4)R(5,6)WP(7,8)L(10000000,1):max-cll=1000,400');
    const svt = buildTranscodeArgs({ input: 'in.mkv', output: 'out.partial.mkv', container: 'mkv', encoder: 'libsvtav1', quality: 32, preset: 'medium', audioBitrateKbps: 128, streams: hdr, plan }).join(' ');
    expect(svt).toContain('format=yuv420p10le -c:v libsvtav1 -preset 7 -crf 32 -svtav1-params mastering-display=G(0.00002,0.00004)B(0.00006,0.00008)R(0.0001,0.00012)WP(0.00014,0.00016)L(1000,0.0001):content-light=1000,400');
    const x264 = buildTranscodeArgs({ input: 'in.mkv', output: 'out.partial.mkv', container: 'mkv', encoder: 'libx264', quality: 23, preset: 'medium', audioBitrateKbps: 128, streams: hdr, plan }).join(' ');
    expect(x264).toContain('format=yuv420p -c:v libx264');
    expect(x264).not.toContain('hdr10');
  });
});

describe('encoders', () => {
  it('tries the hardware families whose start-up probe passed, then software', () => {
    expect(encoderOrder('hevc', ['h264_nvenc', 'h264_vaapi', 'libx264'])).toEqual(['hevc_nvenc', 'hevc_vaapi', 'libx265']);
    expect(encoderOrder('av1', ['libx264'])).toEqual(['libsvtav1']);
  });

  it('drives each family with its quality knob', () => {
    expect(videoEncodeArgs('hevc_nvenc', { quality: 28, preset: 'slow', tenBit: true }).outputArgs).toEqual(['-c:v', 'hevc_nvenc', '-preset', 'p5', '-rc', 'vbr', '-cq', '28', '-b:v', '0', '-profile:v', 'main10']);
    expect(videoEncodeArgs('av1_qsv', { quality: 30, preset: 'medium', tenBit: false })).toEqual({ inputArgs: [], filter: 'format=nv12', outputArgs: ['-c:v', 'av1_qsv', '-preset', 'medium', '-global_quality', '30'] });
    expect(videoEncodeArgs('hevc_vaapi', { quality: 25, preset: 'medium', tenBit: true, vaapiDevice: '/dev/dri/renderD129' })).toEqual({
      inputArgs: ['-vaapi_device', '/dev/dri/renderD129'], filter: 'format=p010,hwupload', outputArgs: ['-c:v', 'hevc_vaapi', '-rc_mode', 'CQP', '-qp', '25', '-profile:v', 'main10'],
    });
  });
});

describe('proof checks and the live guard', () => {
  it('passes and fails each check with a detail a person reads', () => {
    expect(checkStreams({ video: 1, audio: 2, subtitles: 1 }, { video: 1, audio: 1, subtitles: 1 })).toEqual({ name: 'streams', passed: false, detail: 'missing streams: audio 1/2' });
    expect(checkDuration(60, 60.4, 25).passed).toBe(true);
    expect(checkDuration(60, 59.3, 25)).toEqual({ name: 'duration', passed: false, detail: '59.30 s vs 60.00 s (± 0.50 s allowed)' });
    expect(checkFrames(1000, 995).passed).toBe(true);
    expect(checkFrames(1000, 994).passed).toBe(false);
    expect(checkFrames(null, 10).passed).toBe(false);
    expect(checkSavings(1_000_000, 950_000, 10)).toEqual({ name: 'savings', passed: false, detail: '0.95 MB vs 1.00 MB: 5.0 % saved (at least 10 % needed)' });
    expect(firstFailure([checkSavings(100, 50, 10), checkFrames(10, 5)])).toBe('frames check failed: 5 frames vs 10 (± 0 allowed)');
  });

  it('stops an encode whose projected size is clearly over the original, only after a fifth of it', () => {
    const at = (outTimeSeconds: number, bytesWritten: number) => liveGuardVerdict({ bytesWritten, outTimeSeconds, durationSeconds: 100, originalBytes: 1_000_000 });
    expect(at(10, 900_000)).toBeNull(); // too early to tell
    expect(at(25, 240_000)).toBeNull(); // 0.96 MB projected
    expect(at(25, 300_000)).toBe("live guard: at 25 % the output is projected at 1.20 MB, larger than the original's 1.00 MB");
    expect(liveGuardVerdict({ bytesWritten: 1, outTimeSeconds: null, durationSeconds: 100, originalBytes: 1 })).toBeNull();
  });

  it('counts error lines, not status lines or encoder banners', () => {
    expect(errorLines('frame=  10 fps=0.0 q=28.0 size=1kB\r[h264 @ 0x1] error while decoding MB 3 4\nSvt[info]: SVT [version]\nx265 [info]: HEVC encoder\n\n')).toEqual(['[h264 @ 0x1] error while decoding MB 3 4']);
  });

  it('reads SSIM, PSNR and VMAF summaries, and samples up to three segments', () => {
    expect(parseScore('ssim', ['[Parsed_ssim_3 @ 0x5] SSIM Y:0.98 (18.3) U:0.98 V:0.98 All:0.985468 (18.37)'])).toBeCloseTo(0.985468, 6);
    expect(parseScore('psnr', ['[Parsed_psnr_2 @ 0x5] PSNR y:40.8 u:38.9 v:38.0 average:39.931000 min:37.6 max:46.1'])).toBeCloseTo(39.931, 3);
    expect(parseScore('psnr', ['PSNR y:inf u:inf v:inf average:inf min:inf max:inf'])).toBe(Number.POSITIVE_INFINITY);
    expect(parseScore('vmaf', ['[libvmaf @ 0x1] VMAF score: 93.21'])).toBeCloseTo(93.21, 2);
    expect(parseScore('ssim', ['nothing'])).toBeNull();
    expect(sampleSegments(3)).toEqual([{ start: 0, length: 3 }]);
    expect(sampleSegments(100)).toEqual([{ start: 10, length: 5 }, { start: 45, length: 5 }, { start: 80, length: 5 }]);
  });
});
