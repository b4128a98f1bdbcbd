import { describe, expect, it } from 'vitest';
import { chunkSecondsFor, joinArgs } from './segmented-transcode';

describe('chunkSecondsFor', () => {
  it('auto splits software encodes of inputs over 10 minutes into 60-s chunks; { seconds } forces; off never', () => {
    expect(chunkSecondsFor('auto', 601, false)).toBe(60);
    expect(chunkSecondsFor('auto', 600, false)).toBeNull();
    expect(chunkSecondsFor('auto', 3600, true)).toBeNull();
    expect(chunkSecondsFor({ seconds: 15 }, 30, true)).toBe(15);
    expect(chunkSecondsFor('off', 3600, false)).toBeNull();
    // in a fleet too: chunks encode in software, so a hardware encode stays one piece under auto
    expect(chunkSecondsFor('auto', 3600, true)).toBeNull();
    expect(chunkSecondsFor('auto', 3601, false)).toBe(60);
    expect(chunkSecondsFor('off', 3600, false)).toBeNull();
  });
});

describe('joinArgs', () => {
  it('copies the chunks, the audio file and the original\'s subtitles, attachments, tags and chapters', () => {
    const args = joinArgs(
      {
        inputPath: '/lib/videos/a.mkv', container: 'mkv', codec: 'hevc',
        plan: { videoIndex: 0, audio: [{ index: 1, codec: 'aac' }, { index: 2, codec: 'copy' }], subtitles: [{ index: 3, codec: 'copy' }], attachments: true, refused: null },
      },
      '/lib/.segments/j/concat.txt', '/lib/.segments/j/audio.mka', '/lib/videos/a.partial.mkv',
    );
    expect(args.join(' ')).toBe(
      '-hide_banner -nostdin -y -f concat -safe 0 -i /lib/.segments/j/concat.txt -i /lib/.segments/j/audio.mka -i /lib/videos/a.mkv ' +
        '-map 0:v:0 -map 1:a:0 -map 1:a:1 -map 2:3 -map 2:t? -map_metadata 2 -map_chapters 2 -c copy -c:s:0 copy -max_muxing_queue_size 4096 /lib/videos/a.partial.mkv',
    );
  });

  it('tags HEVC as hvc1 with faststart in MP4, and maps the original as input 1 without audio', () => {
    const args = joinArgs({ inputPath: '/v/a.mp4', container: 'mp4', codec: 'hevc', plan: { videoIndex: 0, audio: [], subtitles: [], attachments: false, refused: null } }, '/l.txt', null, '/o.mp4');
    expect(args).toEqual(expect.arrayContaining(['-map_metadata', '1', '-tag:v', 'hvc1', '+faststart']));
  });
});
