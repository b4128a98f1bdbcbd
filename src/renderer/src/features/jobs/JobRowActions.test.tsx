// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobStatus } from '../../../../shared/domain/statuses';
import { makeJob } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { JobRowActions } from './JobRowActions';

const EXPECTED: ReadonlyArray<[JobStatus, string[]]> = [
  ['pending', ['cancel', 'pause', 'priority', 'details']],
  ['queued', ['cancel', 'pause', 'priority', 'details']],
  ['running', ['cancel', 'pause', 'details']],
  ['suspended', ['cancel', 'resume', 'details']],
  ['paused', ['cancel', 'resume', 'priority', 'details']],
  ['failed', ['retry', 'details']],
  ['cancelled', ['retry', 'details']],
  ['completed', ['details']],
];

describe('JobRowActions', () => {
  it.each(EXPECTED)('a %s job offers %j', (status, actions) => {
    renderUi(<JobRowActions job={makeJob({ status })} onAction={() => {}} onDetails={() => {}} />, storesAs());
    const shown = screen.getAllByRole('button').map((b) => b.getAttribute('data-action'));
    expect(shown).toEqual(actions);
  });

  it('a job being cancelled offers only its details', () => {
    renderUi(<JobRowActions job={makeJob({ status: 'running', cancelling: true })} onAction={() => {}} onDetails={() => {}} />, storesAs());
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('data-action'))).toEqual(['details']);
  });

  it('calls a running job’s pause "Suspend"', () => {
    renderUi(<JobRowActions job={makeJob({ status: 'running', type: 'compile_gif' })} onAction={() => {}} />, storesAs());
    expect(screen.getByRole('button', { name: 'Suspend compile_gif job' })).toBeInTheDocument();
  });

  it('reports the chosen action and job, by mouse and by keyboard', async () => {
    const user = userEvent.setup();
    const onAction = vi.fn();
    const onDetails = vi.fn();
    const job = makeJob({ status: 'failed', type: 'validate' });
    renderUi(<JobRowActions job={job} onAction={onAction} onDetails={onDetails} />, storesAs());
    await user.click(screen.getByRole('button', { name: 'Retry validate job' }));
    expect(onAction).toHaveBeenCalledWith('retry', job);
    screen.getByRole('button', { name: 'View details of validate job' }).focus();
    await user.keyboard('{Enter}');
    expect(onDetails).toHaveBeenCalledWith(job);
  });
});
