import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingOutputError, OutputExistsError, isPartialPath, numberedPath, partialPathFor, stageOutput } from './staged-output';

describe('staged output names (pure)', () => {
  it('keeps the real extension last', () => {
    expect(partialPathFor('/v/name.mp4')).toBe('/v/name.partial.mp4');
    expect(partialPathFor('/v/shot.jpg')).toBe('/v/shot.partial.jpg');
    expect(partialPathFor('/v/a.b.gif', 'job7')).toBe('/v/a.b.job7.partial.gif');
    expect(partialPathFor('/v/noext')).toBe('/v/noext.partial');
  });

  it('recognises partial paths', () => {
    expect(isPartialPath('/v/name.partial.mp4')).toBe(true);
    expect(isPartialPath('/v/name.job7.partial.mp4')).toBe(true);
    expect(isPartialPath('/v/name.mp4')).toBe(false);
    expect(isPartialPath('/v/partial.mp4')).toBe(false);
  });

  it('numbers alternatives', () => {
    expect(numberedPath('/v/name.mp4', 2)).toBe('/v/name (2).mp4');
  });
});

describe('StagedOutput', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'staged-output-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('commits into place and leaves no partial', async () => {
    const out = await stageOutput(join(dir, 'sub', 'a.mp4'));
    await writeFile(out.partialPath, 'data');
    expect(await out.commit()).toBe(join(dir, 'sub', 'a.mp4'));
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.mp4']);
  });

  it('discard removes the partial file; prepare removes nothing (a partial name is unique to its attempt)', async () => {
    await writeFile(join(dir, 'b.partial.mp4'), 'not ours');
    const out = await stageOutput(join(dir, 'b.mp4'), { token: 'abcdef12-a2' });
    expect(out.partialPath).toBe(join(dir, 'b.abcdef12-a2.partial.mp4'));
    expect(await readFile(join(dir, 'b.partial.mp4'), 'utf8')).toBe('not ours');
    await rm(join(dir, 'b.partial.mp4'));
    await writeFile(out.partialPath, 'data');
    await out.discard();
    await out.discard();
    expect((await readdir(dir)).filter((f) => f.startsWith('b'))).toEqual([]);
  });

  it('never overwrites an existing final file by default', async () => {
    await writeFile(join(dir, 'c.mp4'), 'original');
    await expect(stageOutput(join(dir, 'c.mp4'))).rejects.toBeInstanceOf(OutputExistsError);
  });

  it('fails at commit when the final file appeared meanwhile, and removes the partial', async () => {
    const out = await stageOutput(join(dir, 'd.mp4'));
    await writeFile(out.partialPath, 'new');
    await writeFile(join(dir, 'd.mp4'), 'raced');
    await expect(out.commit()).rejects.toBeInstanceOf(OutputExistsError);
    expect(await readFile(join(dir, 'd.mp4'), 'utf8')).toBe('raced');
    expect((await readdir(dir)).includes('d.partial.mp4')).toBe(false);
  });

  it("picks 'name (n).ext' with onExisting 'rename'", async () => {
    await writeFile(join(dir, 'e.mp4'), '0');
    await writeFile(join(dir, 'e (1).mp4'), '1');
    const out = await stageOutput(join(dir, 'e.mp4'), { onExisting: 'rename' });
    await writeFile(out.partialPath, '2');
    expect(await out.commit()).toBe(join(dir, 'e (2).mp4'));
    expect(await readFile(join(dir, 'e.mp4'), 'utf8')).toBe('0');
  });

  it("replaces with onExisting 'overwrite'", async () => {
    await writeFile(join(dir, 'f.mp4'), 'old');
    const out = await stageOutput(join(dir, 'f.mp4'), { onExisting: 'overwrite' });
    await writeFile(out.partialPath, 'new');
    await out.commit();
    expect(await readFile(join(dir, 'f.mp4'), 'utf8')).toBe('new');
  });

  it('treats a missing or empty partial as "no output"', async () => {
    const missing = await stageOutput(join(dir, 'g.mp4'));
    await expect(missing.commit()).rejects.toBeInstanceOf(MissingOutputError);
    const empty = await stageOutput(join(dir, 'h.mp4'));
    await writeFile(empty.partialPath, '');
    await expect(empty.commit()).rejects.toBeInstanceOf(MissingOutputError);
    expect((await readdir(dir)).filter((f) => f.startsWith('g') || f.startsWith('h'))).toEqual([]);
  });
});
