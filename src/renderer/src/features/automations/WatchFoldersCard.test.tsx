// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAutomationsStore } from '../../stores/automations-store';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { automationsHandlers } from './fixtures';
import { WatchFoldersCard } from './WatchFoldersCard';

function setup(role: 'admin' | 'read' = 'admin') {
  const client = createFakeClient(automationsHandlers());
  renderUi(<WatchFoldersCard store={createAutomationsStore(client)} />, storesAs(role, client));
  return { client, user: userEvent.setup() };
}

describe('WatchFoldersCard', () => {
  it('shows which folders are watched now and the mode chosen for each', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Watched folders now' });
    expect(within(within(table).getByText('inbox').closest('tr')!).getByText('native')).toBeInTheDocument();
    const videos = within(table).getByText('videos').closest('tr')!;
    expect(within(videos).getByText('polling')).toBeInTheDocument();
    expect(within(videos).getByText('nfs4')).toBeInTheDocument();
    expect(screen.getByText('Watching now')).toBeInTheDocument();
    expect(screen.getByText('2 files waiting to be stable')).toBeInTheDocument();
  });

  it('saves the settings; a folder the server refuses is said at the folders', async () => {
    const { client, user } = setup();
    await user.click(await screen.findByRole('radio', { name: 'polling' }));
    const stable = screen.getByRole('textbox', { name: /Stable for/ });
    await user.clear(stable);
    await user.type(stable, '10');
    await user.click(screen.getByRole('button', { name: 'Save watch settings' }));
    await waitFor(() => expect(client.callsOf('setWatchSettings')).toEqual([{ enabled: true, folders: ['inbox', 'videos'], mode: 'polling', pollIntervalSeconds: 5, stableSeconds: 10 }]));

    client.handlers.setWatchSettings = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid watch settings: folders.2: leads outside the library', { issues: [{ path: 'folders.2', message: 'leads outside the library' }] });
    };
    await user.type(screen.getByRole('combobox', { name: /Folders/ }), 'public/link{Enter}');
    await user.click(screen.getByRole('button', { name: 'Save watch settings' }));
    expect(await screen.findByText('leads outside the library')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Not saved');
  });

  it('is read-only without the admin role', async () => {
    const { client, user } = setup('read');
    const save = await screen.findByRole('button', { name: 'Save watch settings' });
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).toHaveAccessibleDescription('Your token (read) cannot do this: it needs admin.');
    expect(screen.getByRole('switch', { name: 'Watch the library' })).toBeDisabled();
    await user.click(save);
    expect(client.callsOf('setWatchSettings')).toHaveLength(0);
  });
});
