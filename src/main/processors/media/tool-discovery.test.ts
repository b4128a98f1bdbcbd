import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolNotFoundError, discoverMediaTools, discoverTool, installerBinaryPath, parseToolVersion } from './tool-discovery';

describe('parseToolVersion', () => {
  it('reads Debian, static and git builds', () => {
    expect(parseToolVersion('ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024')).toBe('5.1.6-0+deb12u1');
    expect(parseToolVersion('ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com')).toBe('N-66595-gc2b38619c0-static');
    expect(parseToolVersion('usage: something else')).toBeNull();
  });
});

describe('discoverTool (real binaries)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tool-discovery-'));
    await writeFile(join(dir, 'not-executable'), 'x', { mode: 0o644 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers the configured path', async () => {
    const tool = await discoverTool('ffmpeg', { env: { MEDIA_FFMPEG_PATH: '/usr/bin/ffmpeg', PATH: '' } });
    expect(tool).toMatchObject({ path: '/usr/bin/ffmpeg', source: 'configured', skipped: [] });
    expect(tool.version).toMatch(/^\d/);
  });

  it('falls back to the system tool when the configured one does not work, and says why', async () => {
    const tool = await discoverTool('ffprobe', { env: { MEDIA_FFPROBE_PATH: '/nonexistent/ffprobe', PATH: '/nonexistent:/usr/bin' } });
    expect(tool).toMatchObject({ path: '/usr/bin/ffprobe', source: 'system' });
    expect(tool.skipped).toEqual([{ source: 'configured', path: '/nonexistent/ffprobe', reason: 'not found' }]);
  });

  it('falls back to the static build shipped in the installer packages', async () => {
    const tools = await discoverMediaTools({ env: { PATH: dir } });
    expect(tools.ffmpeg.source).toBe('bundled');
    expect(tools.ffmpeg.path).toBe(await installerBinaryPath('ffmpeg'));
    expect(tools.ffprobe.source).toBe('bundled');
    expect(tools.ffprobe.version).toBeTruthy();
  });

  it('fails with every attempt listed when nothing works', async () => {
    const error = await discoverTool('ffmpeg', {
      env: { MEDIA_FFMPEG_PATH: join(dir, 'not-executable'), PATH: dir },
      bundledPath: async () => null,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotFoundError);
    expect((error as ToolNotFoundError).attempts.map((a) => [a.source, a.reason])).toEqual([
      ['configured', 'not executable'],
      ['system', 'not found on PATH'],
      ['bundled', 'no bundled build for this platform'],
    ]);
    expect((error as Error).message).toMatch(/MEDIA_FFMPEG_PATH/);
  });
});
