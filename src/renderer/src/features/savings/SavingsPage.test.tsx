// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createFakeClient, makeJob, makeVideo } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { makeSavings, savingsHandlers } from './fixtures';
import { SavingsPage } from './SavingsPage';

const MB = 1024 * 1024;

describe('the Savings page', () => {
  it('shows the total saved, the outcomes, and the savings per day, codec, folder and node', async () => {
    const stores = storesAs('read', createFakeClient(savingsHandlers(makeVideo())));
    renderUi(<SavingsPage />, stores);
    const total = await screen.findByRole('group', { name: 'Total saved' });
    expect(total).toHaveTextContent('30 MB');
    expect(within(total).getByText('30 MB')).toHaveAttribute('data-bytes', String(30 * MB));
    expect(screen.getByRole('group', { name: 'Files replaced' })).toHaveTextContent('2');
    expect(screen.getByRole('group', { name: 'Ledger rows' })).toHaveTextContent('4');
    const outcomes = screen.getByRole('list', { name: 'Ledger rows by outcome' });
    expect(within(outcomes).getAllByRole('listitem').map((b) => b.getAttribute('aria-label'))).toEqual(['Replaced: 2', 'Copied: 0', 'Kept original: 1', 'Skipped: 1', 'Failed: 0', 'Restored: 0']);
    expect(screen.getByRole('region', { name: 'Saved per day' })).toHaveTextContent('30 MB over 2 days (UTC)');
    const codec = screen.getByRole('table', { name: 'By codec' });
    expect(within(codec).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-key'))).toEqual(['hevc', 'av1']);
    expect(within(codec).getByRole('progressbar', { name: 'hevc: 20 MB saved' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'By folder' })).getByTitle('videos/very/long/folder/name/that/goes/on')).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'By node' })).getByText('ws-1')).toBeInTheDocument();
  });

  it('reads the savings again when a transcode ends (live) and on Refresh', async () => {
    const user = userEvent.setup();
    const client = createFakeClient(savingsHandlers(makeVideo()));
    let saved = 30 * MB;
    client.handlers.getSavings = ({ groupBy }) => {
      const s = makeSavings(groupBy ?? 'day');
      return { ...s, total: { ...s.total, bytesSaved: saved } };
    };
    const stores = storesAs('admin', client);
    renderUi(<SavingsPage />, stores);
    expect(await screen.findByRole('group', { name: 'Total saved' })).toHaveTextContent('30 MB');
    saved = 42 * MB;
    client.emit([{ type: 'job.updated', job: makeJob({ type: 'transcode', status: 'completed', params: {} }) }]);
    await waitFor(() => expect(screen.getByRole('group', { name: 'Total saved' })).toHaveTextContent('42 MB'), { timeout: 3000 });
    saved = 50 * MB;
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(screen.getByRole('group', { name: 'Total saved' })).toHaveTextContent('50 MB'));
  });

  it('says when the ledger is empty, and when it cannot be read', async () => {
    const client = createFakeClient();
    client.handlers.getSavings = ({ groupBy }) => ({ groupBy: groupBy ?? 'day', total: { bytesSaved: 0, grossBytesSaved: 0, filesReplaced: 0, outcomes: { replaced: 0, copied: 0, kept_original: 0, skipped: 0, failed: 0, restored: 0 } }, groups: [] });
    renderUi(<SavingsPage />, storesAs('read', client));
    expect(await screen.findByText('Nothing transcoded yet')).toBeInTheDocument();
    expect(screen.getAllByText('Nothing in the ledger yet.')).toHaveLength(3);

    const broken = createFakeClient();
    broken.handlers.getSavings = () => {
      throw new ApiError('INTERNAL', 'database is locked');
    };
    renderUi(<SavingsPage />, storesAs('read', broken));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not read the savings');
    expect(alert).toHaveTextContent('database is locked');
  });
});
