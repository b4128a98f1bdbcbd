/**
 * Full-page screenshots of the e2e run in one artifacts folder (emptied once per run by the global
 * setup), named by the file that took them and numbered in the order taken.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export async function resetArtifacts(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

export class Screenshots {
  private count = 0;
  readonly taken: string[] = [];

  constructor(
    readonly dir: string,
    readonly prefix: string,
  ) {}

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
