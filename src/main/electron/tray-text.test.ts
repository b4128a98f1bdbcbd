import { describe, expect, it } from 'vitest';
import { buildTrayText, formatMegabytes, formatVram, unavailableTrayText } from './tray-text';

const stats = { running: 0, pending: 0, queued: 0, failed: 0, totalVramUsed: 0, totalVramAvailable: 16_000 };

describe('tray text', () => {
  it('is idle with an empty queue', () => {
    const text = buildTrayText(stats, { paused: false });
    expect(text.state).toBe('idle');
    expect(text.statusLine).toBe('0 running · 0 pending · 0 failed');
    expect(text.pauseLabel).toBe('Pause queue');
  });

  it('counts waiting jobs (pending and queued) and shows VRAM in use against the budget', () => {
    const text = buildTrayText({ ...stats, running: 2, pending: 3, queued: 4, failed: 1, totalVramUsed: 6144 }, { paused: false });
    expect(text.state).toBe('running');
    expect(text.statusLine).toBe('2 running · 7 pending · 1 failed');
    expect(text.vramLine).toBe('VRAM 6.0 GB / 15.6 GB');
    expect(text.tooltip).toBe('Media Job Control: 2 running · 7 waiting');
  });

  it('says when the queue is paused and offers to resume it', () => {
    const text = buildTrayText({ ...stats, running: 1 }, { paused: true });
    expect(text.state).toBe('paused');
    expect(text.statusLine).toBe('Queue paused — 1 running · 0 pending · 0 failed');
    expect(text.pauseLabel).toBe('Resume queue');
  });

  it('lists running jobs with progress, the last failure, and badges a failure until acknowledged', () => {
    const text = buildTrayText({ ...stats, running: 1 }, { paused: false }, { running: [{ type: 'transcode', progress: 41.6 }], lastFailure: { title: 'Job failed: scan' }, alert: true, drain: 'off' });
    expect(text.state).toBe('failed');
    expect(text.jobLines).toEqual(['transcode — 42 %']);
    expect(text.lastFailureLine).toBe('Last failure: Job failed: scan');
    expect(text.tooltip).toBe('Media Job Control: 1 running · 0 waiting · a job failed');
    expect(text.drainLabel).toBe('Drain queue');
    expect(buildTrayText(stats, { paused: true }, { drain: 'draining' }).drainLabel).toBeNull();
  });

  it('handles machines without a GPU budget', () => {
    expect(formatVram(0, null)).toBe('VRAM: no GPU budget');
    expect(formatVram(300, null)).toBe('VRAM 300 MB in use (no GPU budget)');
  });

  it('formats megabytes', () => {
    expect(formatMegabytes(512)).toBe('512 MB');
    expect(formatMegabytes(1024)).toBe('1.0 GB');
    expect(formatMegabytes(24_576)).toBe('24.0 GB');
  });

  it('has a text for when statistics are unavailable', () => {
    expect(unavailableTrayText('Starting…')).toMatchObject({ state: 'idle', statusLine: 'Starting…' });
  });
});
