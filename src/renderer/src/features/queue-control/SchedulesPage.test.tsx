// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createFakeClient, EMPTY_STATS, pagedJobs } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { toastStore } from '../../stores/toast-store';
import { JobsPage } from '../jobs/JobsPage';
import { drainedQueue, IDLE_QUEUE, queueControlHandlers } from './fixtures';
import { SchedulesPage } from './SchedulesPage';

function setup(role: 'admin' | 'operate' | 'read' = 'admin') {
  const client = createFakeClient({ ...queueControlHandlers(), getStats: () => EMPTY_STATS, getQueueState: () => IDLE_QUEUE, listJobs: pagedJobs(() => []) });
  const stores = storesAs(role, client);
  stores.queue.setState({ stats: EMPTY_STATS, queue: IDLE_QUEUE });
  return { client, stores };
}

describe('the Schedules page', () => {
  it('shows each category’s state now in the windows’ time zone, and the stored windows as a form', async () => {
    const { stores } = setup();
    renderUi(<SchedulesPage />, stores);
    const now = await screen.findByRole('table', { name: 'Categories now' });
    expect(within(now).getByRole('row', { name: /GPU encode/ })).toHaveTextContent(/closed.*closed, opens (Fri )?22:00/);
    expect(within(now).getByRole('row', { name: /CPU/ })).toHaveTextContent('always open (no windows)');
    expect(screen.getByText('times in UTC')).toBeInTheDocument();
    const w1 = screen.getByRole('group', { name: 'Window 1' });
    expect(within(w1).getByLabelText('Opens')).toHaveValue('22:00');
    expect(within(w1).getByLabelText('Closes')).toHaveValue('07:00');
    expect(within(w1).getByRole('checkbox', { name: 'Sat' })).not.toBeChecked();
    expect(within(w1).getByRole('checkbox', { name: 'Mon' })).toBeChecked();
    expect(screen.getByLabelText('Time zone')).toHaveValue('UTC');
  });

  it('saves a second window and the GPU yield with setSchedules', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    renderUi(<SchedulesPage />, stores);
    await user.click(await screen.findByRole('button', { name: 'Add window' }));
    const w2 = screen.getByRole('group', { name: 'Window 2' });
    await user.clear(within(w2).getByLabelText('Opens'));
    await user.type(within(w2).getByLabelText('Opens'), '01:00');
    await user.clear(within(w2).getByLabelText('Closes'));
    await user.type(within(w2).getByLabelText('Closes'), '05:30');
    await user.click(within(w2).getByRole('checkbox', { name: 'Sun' }));
    await user.click(within(w2).getByRole('radio', { name: 'Suspend what runs' }));
    const gpu = screen.getByRole('region', { name: 'GPU yield' });
    await user.click(within(gpu).getByRole('switch', { name: /Yield the GPU/ }));
    await user.type(within(gpu).getByRole('combobox', { name: 'Process names' }), 'obs{Enter}');
    await user.click(within(gpu).getByRole('radio', { name: 'Suspend what runs too' }));
    await user.click(screen.getByRole('button', { name: 'Save schedules' }));
    await waitFor(() => expect(client.callsOf('setSchedules')).toHaveLength(1));
    const [sent] = client.callsOf('setSchedules') as Array<Record<string, unknown>>;
    expect(sent).toMatchObject({
      timeZone: 'UTC',
      windows: [
        { category: 'gpu_encode', start: '22:00', end: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], atClose: 'suspend' },
        { category: 'gpu_encode', start: '01:00', end: '05:30', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], atClose: 'suspend' },
      ],
      gpuYield: { enabled: true, processNames: ['obs'], action: 'suspend' },
    });
    await waitFor(() => expect(toastStore.getState().toasts.map((t) => t.title)).toContain('Schedules saved'));
  });

  it('checks HH:MM before sending, and shows the server’s errors next to the field they name', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    renderUi(<SchedulesPage />, stores);
    const w1 = await screen.findByRole('group', { name: 'Window 1' });
    await user.clear(within(w1).getByLabelText('Closes'));
    await user.type(within(w1).getByLabelText('Closes'), '7pm');
    await user.click(screen.getByRole('button', { name: 'Save schedules' }));
    expect(within(w1).getByLabelText('Closes')).toHaveAccessibleDescription(/HH:MM/);
    expect(client.callsOf('setSchedules')).toHaveLength(0);

    client.handlers.setSchedules = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid input: timeZone: must be an IANA time zone', {
        issues: [
          { path: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' },
          { path: 'windows.0.days', message: 'must name at least one day, or be left out for every day' },
        ],
      });
    };
    await user.clear(within(w1).getByLabelText('Closes'));
    await user.type(within(w1).getByLabelText('Closes'), '07:00');
    await user.clear(screen.getByLabelText('Time zone'));
    await user.type(screen.getByLabelText('Time zone'), 'Mars/Olympus');
    await user.click(screen.getByRole('button', { name: 'Save schedules' }));
    await waitFor(() => expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(/must be an IANA time zone/));
    expect(within(w1).getByText('must name at least one day, or be left out for every day')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The server refused some fields');
  });

  it('offers the settings read-only below admin, with the reason on the save button', async () => {
    const { stores } = setup('operate');
    renderUi(<SchedulesPage />, stores);
    const save = await screen.findByRole('button', { name: 'Save schedules' });
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).toHaveAccessibleDescription('Your token (operate) cannot do this: it needs admin.');
    expect(within(screen.getByRole('group', { name: 'Window 1' })).getByLabelText('Opens')).toBeDisabled();
    // draining is operate's
    expect(screen.getByRole('button', { name: 'Drain' })).not.toHaveAttribute('aria-disabled');
  });
});

describe('draining from the jobs page', () => {
  it('asks first, drains, then follows queue.updated to drained; resume ends it', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup('operate');
    client.handlers.resumeQueue = () => IDLE_QUEUE;
    stores.start();
    renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
    await user.click(await screen.findByRole('button', { name: 'Drain' }));
    const dialog = await screen.findByRole('dialog', { name: 'Drain the queue?' });
    expect(client.callsOf('drainQueue')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Drain queue' }));
    await waitFor(() => expect(client.callsOf('drainQueue')).toEqual([{}]));
    expect(await screen.findByText('Draining · 1 running')).toBeInTheDocument();
    expect(screen.queryByText('Queue paused')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Drain' })).not.toBeInTheDocument();

    client.emit([{ type: 'queue.updated', queue: drainedQueue() }]);
    expect(await screen.findByText('Drained')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resume queue' }));
    expect(await screen.findByRole('button', { name: 'Drain' })).toBeInTheDocument();
    expect(screen.queryByText('Drained')).not.toBeInTheDocument();
  });
});
