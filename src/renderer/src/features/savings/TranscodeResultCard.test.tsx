// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createFakeClient, makeJob } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { makeJobResult, TRANSCODE_JOB_ID } from './fixtures';
import { TranscodeResultCard } from './TranscodeResultCard';

describe('the transcode result in a job’s detail', () => {
  it('shows the outcome, the size and codec before and after, the saving and each check', async () => {
    const client = createFakeClient({ getJobResult: () => makeJobResult() });
    renderUi(<TranscodeResultCard job={makeJob({ id: TRANSCODE_JOB_ID, type: 'transcode', status: 'completed' })} />, storesAs('read', client));
    const card = await screen.findByRole('region', { name: 'Transcode result' });
    await within(card).findByText('Replaced');
    expect(within(card).getByRole('group', { name: 'Before' })).toHaveTextContent('50 MBh264');
    expect(within(card).getByRole('group', { name: 'After' })).toHaveTextContent('30 MBhevc');
    expect(within(card).getByRole('group', { name: 'Saved' })).toHaveTextContent('20 MB (40 %)');
    expect(within(card).getByRole('group', { name: 'Encoder' })).toHaveTextContent('libx265');
    expect(within(card).getByText('Checks: 3 of 3 passed')).toBeInTheDocument();
    expect(within(card).getAllByRole('listitem').map((i) => i.getAttribute('aria-label'))).toEqual(['decode: passed', 'duration: passed', 'savings: passed']);
    expect(client.callsOf('getJobResult')).toEqual([{ id: TRANSCODE_JOB_ID }]);
  });

  it('tells a kept original with its reason and the check that failed', async () => {
    const result = makeJobResult({
      outcome: 'kept_original',
      reason: 'savings: the output is 4 % smaller, less than the 10 % asked',
      bytesOut: 48 * 1024 * 1024,
      savedPercent: 4,
      checks: [
        { name: 'decode', passed: true, detail: '0 errors' },
        { name: 'savings', passed: false, detail: '4 % < 10 %' },
      ],
    });
    renderUi(<TranscodeResultCard job={makeJob({ id: TRANSCODE_JOB_ID, type: 'transcode', status: 'completed' })} />, storesAs('read', createFakeClient({ getJobResult: () => result })));
    const card = await screen.findByRole('region', { name: 'Transcode result' });
    expect(await within(card).findByText('Original kept')).toBeInTheDocument();
    expect(within(card).getByText(result.reason!)).toBeInTheDocument();
    expect(within(card).getByText('Checks: 1 of 2 passed')).toBeInTheDocument();
    expect(within(card).getByRole('listitem', { name: 'savings: failed' })).toHaveTextContent('4 % < 10 %');
  });

  it('waits for the job to end, then reads its result; a 404 says it wrote none', async () => {
    const client = createFakeClient();
    client.handlers.getJobResult = () => {
      throw new ApiError('NOT_FOUND', 'no result yet');
    };
    const stores = storesAs('read', client);
    const job = makeJob({ type: 'transcode', status: 'running' });
    const { rerender } = renderUi(<TranscodeResultCard job={job} />, stores);
    expect(screen.getByText('The outcome, sizes and checks show here when the job ends.')).toBeInTheDocument();
    expect(client.callsOf('getJobResult')).toEqual([]);
    rerender(<TranscodeResultCard job={{ ...job, status: 'failed' }} />);
    expect(await screen.findByText('This job wrote no result (it ended before it could).')).toBeInTheDocument();
    await waitFor(() => expect(client.callsOf('getJobResult')).toEqual([{ id: job.id }]));
  });

  it('shows nothing for a job type that writes no result', () => {
    const client = createFakeClient();
    renderUi(<TranscodeResultCard job={makeJob({ type: 'scan', status: 'completed' })} />, storesAs('read', client));
    expect(screen.queryByRole('region', { name: 'Transcode result' })).not.toBeInTheDocument();
    expect(client.calls.filter((c) => c.name === 'getJobResult')).toEqual([]);
  });
});
