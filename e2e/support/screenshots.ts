/**
 * Full-page screenshots of the e2e run in one artifacts folder, named by the file that took them
 * (its prefix) and numbered in the order taken. Each file clears only its own earlier screenshots,
 * so running one file (or two runs at once) leaves the others' in place.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export class Screenshots {
  private count = 0;
  readonly taken: string[] = [];

  constructor(
    readonly dir: string,
    readonly prefix: string,
  ) {}

  /** Removes this file's screenshots of an earlier run. */
  async clear(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith(`${this.prefix}-`) && n.endsWith('.png')).map((n) => rm(join(this.dir, n), { force: true })));
  }

  async take(page: Page, name: string): Promise<string> {
    this.count += 1;
    const safe = name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${this.prefix}-${String(this.count).padStart(2, '0')}-${safe}.png`);
    // let animations (drawer, modal, progress stripes) settle into a stable frame
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    this.taken.push(file);
    return file;
  }
}
