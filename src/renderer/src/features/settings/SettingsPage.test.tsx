// @vitest-environment jsdom
import '../../testing/setup';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { toastStore } from '../../stores/toast-store';
import { settingsHandlers } from './fixtures';
import { SettingsPage } from './SettingsPage';

function setup(role: 'admin' | 'operate' | 'read' = 'admin') {
  const client = createFakeClient(settingsHandlers());
  return { client, stores: storesAs(role, client) };
}

describe('the Settings page', () => {
  it('shows the settings in force, a locked field with its variable, and saves only what changed', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    renderUi(<SettingsPage />, stores);
    const cpu = await screen.findByRole('textbox', { name: 'CPU jobs' });
    expect(cpu).toHaveValue('5');
    const ai = screen.getByRole('textbox', { name: 'GPU AI jobs' });
    expect(ai).toBeDisabled();
    expect(screen.getByText('Set by the environment variable MEDIA_LIMIT_GPU_AI; unset it to change it here.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Hang timeout' })).toHaveValue('300 s');

    await user.clear(cpu);
    await user.type(cpu, '8');
    await user.clear(screen.getByRole('textbox', { name: 'Hang timeout' }));
    await user.type(screen.getByRole('textbox', { name: 'Hang timeout' }), '90');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(client.callsOf('setSettings')).toEqual([{ limits: { cpu: 8 }, hangTimeoutMs: 90_000 }]));
    await waitFor(() => expect(toastStore.getState().toasts.map((t) => t.title)).toContain('Settings saved'));
  });

  it('shows the server’s refusal at the field it names', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    client.handlers.setSettings = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid input: retainFailedDays: Too big', { issues: [{ path: ['retainFailedDays'], message: 'Too big: expected at most 36500' }] });
    };
    renderUi(<SettingsPage />, stores);
    const failed = await screen.findByRole('textbox', { name: 'Keep failed jobs' });
    await user.clear(failed);
    await user.type(failed, '5');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Too big: expected at most 36500')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The server refused some fields');
  });

  it('a read session sees the values read-only, with Save and Import inert', async () => {
    const { stores } = setup('read');
    renderUi(<SettingsPage />, stores);
    expect(await screen.findByRole('textbox', { name: 'CPU jobs' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save settings' })).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('button', { name: 'Import…' })).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('button', { name: 'Export' })).not.toHaveAttribute('aria-disabled');
  });

  it('exports with exportSettings and imports a picked file with importSettings, telling what was applied', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    renderUi(<SettingsPage />, stores);
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    await waitFor(() => expect(client.callsOf('exportSettings')).toHaveLength(1));

    const document = { format: 'media-job-control/settings', version: 1, settings: { limits: { cpu: 3 } } };
    const input = screen.getByLabelText('Settings file to import');
    fireEvent.change(input, { target: { files: [new File([JSON.stringify(document)], 'settings.json', { type: 'application/json' })] } });
    await waitFor(() => expect(client.callsOf('importSettings')).toEqual([document]));
    expect(await screen.findByRole('status')).toHaveTextContent('pipelines created: Nightly');

    fireEvent.change(input, { target: { files: [new File(['{nope'], 'broken.json', { type: 'application/json' })] } });
    expect(await screen.findByRole('alert')).toHaveTextContent('broken.json is not JSON');
    expect(client.callsOf('importSettings')).toHaveLength(1);
  });
});
