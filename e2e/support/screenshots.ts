/** Full-page screenshots of the e2e run, numbered in the order taken, in one artifacts folder. */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export class Screenshots {
  private count = 0;
  readonly taken: string[] = [];

  constructor(readonly dir: string) {}

  /** Empties the folder, so it holds this run's screenshots only. */
  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  async take(page: Page, name: string): Promise<string> {
    this.count += 1;
    const safe = name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    const file = join(this.dir, `${String(this.count).padStart(2, '0')}-${safe}.png`);
    // let animations (drawer, modal, progress stripes) settle into a stable frame
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    this.taken.push(file);
    return file;
  }
}
