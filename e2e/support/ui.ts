/**
 * Page parts and gestures shared by the e2e files, found the way a user (or a screen reader) finds
 * them: by role and accessible name.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The pages of the navigation (others may be added: any link's name works). */
export type PageName = 'Dashboard' | 'Jobs' | 'Library' | 'Automations' | 'System' | (string & {});

/** A navigation link (its name may go on with a count: "Jobs 1 running"). */
export const nav = (page: Page, name: PageName) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: new RegExp(`^${name}(\\s|$)`) });
export const jobsTable = (page: Page) => page.getByRole('table', { name: 'Jobs' });
export const jobRows = (page: Page) => jobsTable(page).locator('tbody tr');
export const libraryRows = (page: Page) => page.getByRole('table', { name: 'Library videos' }).locator('tbody tr');
export const drawer = (page: Page) => page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Close job details' }) });
export const jobIdInHash = (page: Page) => /#\/jobs\/([0-9a-f-]{36})(?:\?|$)/.exec(page.url())?.[1] ?? null;

/** Signs in on the sign-in page and waits for the landing page (the dashboard). */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
}

export async function openPage(page: Page, name: PageName): Promise<void> {
  await nav(page, name).click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

/** Picks an option of a Mantine Select whose option names start with `option` (typing first when searchable). */
export async function choose(page: Page, select: Locator, option: string | RegExp, { type = false } = {}): Promise<void> {
  await select.click();
  if (type && typeof option === 'string') await select.fill(option);
  await page.getByRole('option', { name: typeof option === 'string' ? new RegExp(`^${option}(\\s|$)`) : option }).first().click();
}

/** The number in a progress bar's accessible name ("Progress 42%"). */
export async function progressOf(bar: Locator): Promise<number> {
  const label = (await bar.getAttribute('aria-label')) ?? '';
  return Number(/(\d+)%/.exec(label)?.[1] ?? NaN);
}

/** The reason a control is inert, as a screen reader reads it (its aria-describedby). */
export async function descriptionOf(control: Locator): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(' ').trim();
}

/** The few DOM shapes the in-page check uses (this file is type-checked without the DOM library). */
interface Box {
  readonly right: number;
  readonly width: number;
}
interface Node {
  readonly tagName: string;
  readonly classList: Iterable<string>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
}
interface Doc {
  readonly scrollingElement: { scrollWidth: number; clientWidth: number } | null;
  readonly documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): Iterable<Node>;
}

/** How far the page scrolls sideways (scrollWidth > clientWidth), and the element sticking out furthest. */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string | null }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const el = doc.scrollingElement ?? doc.documentElement;
    let widest: string | null = null;
    let right = el.clientWidth;
    for (const node of doc.querySelectorAll('body *')) {
      const box = node.getBoundingClientRect();
      if (box.right > right + 1 && box.width > 0) {
        right = box.right;
        const label = node.getAttribute('aria-label');
        widest = `${node.tagName.toLowerCase()}${label ? `[aria-label="${label}"]` : ''}.${[...node.classList].slice(0, 2).join('.')} (right edge ${Math.round(box.right)})`;
      }
    }
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, widest };
  });
}

export async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const overflow = await horizontalOverflow(page);
  expect(overflow.scrollWidth, `${where}: the page scrolls sideways; widest: ${overflow.widest}`).toBeLessThanOrEqual(overflow.clientWidth);
}
