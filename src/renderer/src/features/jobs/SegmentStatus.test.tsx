// @vitest-environment jsdom
import '../../testing/setup';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAppStores } from '../../stores/app-stores';
import { createFakeClient, EMPTY_STATS, makeJob, pagedJobs } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { JobsPage } from './JobsPage';
import { segmentPhase } from './SegmentStatus';

const chunks = (running: number, done: number) => ({ total: 16, done, running, failed: 0, etaSeconds: 120 });

describe('a segmented encode in the jobs table (#20)', () => {
  it('shows a parent whose parts run as encoding, one whose parts wait as waiting for parts, an idle job as pending', async () => {
    const encoding = makeJob({ type: 'transcode', status: 'pending', progress: 50, waitingReason: 'Encoding in parts: 9 of 16 done', chunks: chunks(2, 9), input: { videoId: 'v1', title: 'Film A', path: 'a.mkv', durationSeconds: 900 } });
    const waiting = makeJob({ type: 'transcode', status: 'pending', chunks: chunks(0, 3), input: { videoId: 'v2', title: 'Film B', path: 'b.mkv', durationSeconds: 900 } });
    const idle = makeJob({ type: 'transcode', status: 'pending', input: { videoId: 'v3', title: 'Film C', path: 'c.mkv', durationSeconds: 900 } });
    const client = createFakeClient({
      listJobs: pagedJobs(() => [encoding, waiting, idle]),
      getStats: () => ({ ...EMPTY_STATS, pending: 3 }),
      getQueueState: () => ({ paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null }),
    });
    const stores = createAppStores(client);
    stores.start();
    renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rowOf = (title: string) => within(table).getByText(title).closest('tr')!;

    const a = within(rowOf('Film A')).getByLabelText('Status: encoding · 2 parts running');
    expect(a).toHaveAttribute('data-color', 'yellow');
    expect(within(rowOf('Film A')).queryByLabelText('Status: Pending')).toBeNull();
    // its progress bar runs like a running job's
    expect(within(rowOf('Film A')).getByRole('progressbar', { name: 'Progress 50%' }).closest('[data-status]')).toHaveAttribute('data-status', 'running');
    expect(within(rowOf('Film B')).getByLabelText('Status: waiting for parts')).toBeInTheDocument();
    expect(within(rowOf('Film C')).getByLabelText('Status: Pending')).toBeInTheDocument();

    // its join run is claimed: the event carries the parent's own stored progress (0), not the aggregate
    const { chunks: _omitted, ...claimed } = { ...encoding, status: 'running' as const, progress: 0, waitingReason: null };
    act(() => client.emit([{ type: 'job.updated', job: claimed }]));
    await waitFor(() => expect(within(rowOf('Film A')).getByLabelText('Status: Running')).toBeInTheDocument());
    expect(within(rowOf('Film A')).getByRole('progressbar', { name: 'Progress 50%' }), 'the progress does not go back').toBeInTheDocument();
    act(() => client.emit([{ type: 'job.progress', jobId: encoding.id, progress: 91 }]));
    await waitFor(() => expect(within(rowOf('Film A')).getByRole('progressbar', { name: 'Progress 91%' })).toBeInTheDocument());
  });

  it('says nothing once every chunk is done (the join runs as the parent itself) or for a job that ended', () => {
    expect(segmentPhase({ status: 'pending', chunks: chunks(0, 16) })).toBeNull();
    expect(segmentPhase({ status: 'failed', chunks: chunks(0, 3) })).toBeNull();
    expect(segmentPhase({ status: 'pending', chunks: chunks(1, 15) })?.summary).toBe('Encoding in parts: 1 running, 15 of 16 done');
  });
});
