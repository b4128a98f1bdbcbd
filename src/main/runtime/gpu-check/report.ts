/**
 * The `npm run gpu-check` report (#18 item 5): what could be verified on the machine it ran on,
 * item by item, each `passed`, `failed` (a finding to fix) or `not_tested` with the plain reason it
 * could not be tested there. Written as JSON under docs/gpu-reports/ by default.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

export type CheckStatus = 'passed' | 'failed' | 'not_tested';

export interface CheckItem {
  readonly name: string;
  /** What the item verifies, in one line. */
  readonly what: string;
  readonly status: CheckStatus;
  /** The result in words: figures when it ran, why not when it did not. */
  readonly detail: string;
  readonly ms: number;
  /** Raw figures behind the detail (telemetry, probe results, placements). */
  readonly data?: unknown;
}

export interface GpuCheckReport {
  readonly tool: 'gpu-check';
  readonly host: string;
  readonly startedAt: string;
  readonly totalMs: number;
  readonly machine: { readonly platform: string; readonly arch: string; readonly cpus: number; readonly node: string };
  readonly driverVersion: string | null;
  readonly ffmpeg: { readonly path: string; readonly version: string } | null;
  readonly gpuCount: number;
  readonly items: readonly CheckItem[];
  /** One line per item that could not be tested, with why. */
  readonly notTested: readonly string[];
  /** One line per failed item: what to fix. */
  readonly findings: readonly string[];
}

export function notTested(name: string, what: string, why: string): CheckItem {
  return { name, what, status: 'not_tested', detail: why, ms: 0 };
}

/** Runs `body`, timing it; a throw becomes a failed item with the error's message. */
export async function timedItem(name: string, what: string, body: () => Promise<Omit<CheckItem, 'name' | 'what' | 'ms'>>): Promise<CheckItem> {
  const started = performance.now();
  try {
    const r = await body();
    return { name, what, ...r, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, what, status: 'failed', detail: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`, ms: Math.round(performance.now() - started) };
  }
}

export function summarize(items: readonly CheckItem[]): { notTested: string[]; findings: string[] } {
  return {
    notTested: items.filter((i) => i.status === 'not_tested').map((i) => `${i.name}: ${i.detail}`),
    findings: items.filter((i) => i.status === 'failed').map((i) => `${i.name}: ${i.detail}`),
  };
}

/** docs/gpu-reports/<hostname>-<YYYY-MM-DD>.json under `root`. */
export function defaultReportPath(root: string, at: Date = new Date()): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_') || 'host';
  return join(root, 'docs', 'gpu-reports', `${host}-${at.toISOString().slice(0, 10)}.json`);
}

export function writeReport(path: string, report: GpuCheckReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
