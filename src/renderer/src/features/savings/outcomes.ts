/** How each transcode outcome reads and looks (badges, counts), and the savings' numbers in words. */
import type { MantineColor } from '@mantine/core';
import type { TranscodeOutcome } from '../../../../shared/contracts/transcode';
import { formatBytes } from '../../lib/format';

export const OUTCOME_LOOK: Readonly<Record<TranscodeOutcome, { readonly label: string; readonly color: MantineColor; readonly hint: string }>> = {
  replaced: { label: 'Replaced', color: 'teal', hint: 'The verified output took the original’s place (the original kept in quarantine)' },
  copied: { label: 'Copied', color: 'blue', hint: 'A verified output was written beside the original' },
  kept_original: { label: 'Kept original', color: 'yellow', hint: 'A check failed or the output would not be smaller: nothing changed' },
  skipped: { label: 'Skipped', color: 'gray', hint: 'Nothing to do (already the target codec, already efficient, already processed)' },
  failed: { label: 'Failed', color: 'red', hint: 'The encode broke' },
  restored: { label: 'Restored', color: 'orange', hint: 'A quarantined original was put back (its saving given back)' },
};

/** "1.2 MB" with a minus for bytes given back. */
export function formatSaved(bytes: number): string {
  return bytes < 0 ? `−${formatBytes(-bytes)}` : formatBytes(bytes);
}

/** Bytes in full ("12,345,678 bytes"), for titles where the rounded size is not enough. */
export function exactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** 38.2 → "38.2 %"; the sign kept for a larger output. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  return `${Math.round(percent * 10) / 10} %`;
}
