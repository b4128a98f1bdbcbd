// @vitest-environment jsdom
import '../../testing/setup';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { toastStore } from '../../stores/toast-store';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import type { BrowserNotifier, BrowserPermission } from './browser-notifications';
import { notificationsHandlers } from './fixtures';
import { NotificationsPage } from './NotificationsPage';

function fakeNotifier(initial: BrowserPermission = 'default', answer: BrowserPermission = 'granted') {
  const shown: Array<{ title: string; body: string }> = [];
  let permission = initial;
  const notifier: BrowserNotifier & { shown: typeof shown; requests: number } = {
    shown,
    requests: 0,
    permission: () => permission,
    request: async () => {
      notifier.requests += 1;
      permission = answer;
      return answer;
    },
    show: (title, options) => shown.push({ title, body: options.body }),
  };
  return notifier;
}

function setup(role: 'admin' | 'operate' | 'read' = 'admin', notifier = fakeNotifier()) {
  const client = createFakeClient(notificationsHandlers());
  const stores = storesAs(role, client);
  renderUi(<NotificationsPage notifier={notifier} desktopApp={false} />, stores);
  return { client, stores, notifier };
}

beforeEach(() => toastStore.setState({ toasts: [] }));
const toastTitles = () => toastStore.getState().toasts.map((t) => t.title);

describe('the Notifications page', () => {
  it('shows the stored rules, webhooks (secret only as set) and the recent deliveries', async () => {
    setup();
    const rule1 = await screen.findByRole('group', { name: 'Rule 1' });
    expect(within(rule1).getByRole('combobox', { name: 'When' })).toHaveValue('A job failed');
    expect(within(rule1).getAllByText(/Shrink a video.*\(transcode\)/)[0]).toBeInTheDocument();
    expect(within(rule1).getByRole('checkbox', { name: 'Desktop' })).toBeChecked();
    expect(within(rule1).getByRole('checkbox', { name: 'Browser' })).toBeChecked();
    expect(within(rule1).getAllByText('Ops chat')[0]).toBeInTheDocument();
    expect(within(rule1).getByRole('textbox', { name: 'At most one per (min)' })).toHaveValue('10');
    const rule2 = screen.getByRole('group', { name: 'Rule 2' });
    expect(within(rule2).getByRole('combobox', { name: 'When' })).toHaveValue('Disk space is low');
    expect(within(rule2).getByRole('combobox', { name: 'Folder' })).toHaveValue('Library folder');
    expect(within(rule2).getByRole('textbox', { name: 'Below GB free' })).toHaveValue('50');
    expect(within(rule2).queryByRole('combobox', { name: /job types/ })).not.toBeInTheDocument();

    const hook = screen.getByRole('group', { name: 'Webhook 1' });
    expect(within(hook).getByRole('textbox', { name: 'Name' })).toHaveValue('Ops chat');
    expect(within(hook).getByRole('textbox', { name: 'URL' })).toHaveValue('https://hooks.example.com/media');
    expect(within(hook).getByRole('textbox', { name: 'Time limit (s)' })).toHaveValue('10');
    expect(within(hook).getByText('set')).toBeInTheDocument();
    expect(within(hook).queryByLabelText(/secret/i, { selector: 'input' })).not.toBeInTheDocument();

    const table = await screen.findByRole('table', { name: 'Webhook deliveries' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/Ops chat.*A job failed.*delivered.*HTTP 200.*1/);
    expect(rows[1]).toHaveTextContent(/Test.*failed.*HTTP 500.*2.*HTTP 500 from the receiver/);
  });

  it('adds a webhook and a rule posting to it, replaces and removes secrets, and saves it all with setNotifications', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    const webhooks = await screen.findByRole('region', { name: 'Webhooks' });
    await user.click(within(webhooks).getByRole('button', { name: 'Add webhook' }));
    const hook2 = screen.getByRole('group', { name: 'Webhook 2' });
    expect(within(hook2).getByText('save to test it')).toBeInTheDocument();
    await user.type(within(hook2).getByRole('textbox', { name: 'Name' }), 'Receiver');
    await user.type(within(hook2).getByRole('textbox', { name: 'URL' }), 'http://127.0.0.1:9/hook');
    await user.click(within(hook2).getByRole('button', { name: 'Set a secret' }));
    await user.type(within(hook2).getByLabelText('Secret'), 'a-long-secret');
    const hook1 = screen.getByRole('group', { name: 'Webhook 1' });
    await user.click(within(hook1).getByRole('button', { name: 'Remove' }));
    expect(within(hook1).getByText('removed on save')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    const rule3 = screen.getByRole('group', { name: 'Rule 3' });
    await user.click(within(rule3).getByRole('checkbox', { name: 'Desktop' }));
    await user.click(within(rule3).getByRole('combobox', { name: 'Webhooks' }));
    await user.click(await screen.findByRole('option', { name: 'Receiver' }));
    await user.click(screen.getByRole('button', { name: 'Save notifications' }));

    await waitFor(() => expect(client.callsOf('setNotifications')).toHaveLength(1));
    const sent = client.callsOf('setNotifications')[0] as { rules: unknown[]; webhooks: unknown[] };
    expect(sent.webhooks).toEqual([
      { id: 'ops', name: 'Ops chat', url: 'https://hooks.example.com/media', enabled: true, timeoutMs: 10_000, secret: null },
      { id: 'webhook-2', name: 'Receiver', url: 'http://127.0.0.1:9/hook', enabled: true, timeoutMs: 10_000, secret: 'a-long-secret' },
    ]);
    expect(sent.rules).toEqual([
      { id: 'failures', enabled: true, event: 'job.failed', jobTypes: ['transcode'], channels: { desktop: true, browser: true, webhooks: ['ops'] }, throttleMinutes: 10 },
      { id: 'disk', enabled: true, event: 'disk.low', folder: 'library', minFreeGb: 50, channels: { desktop: true, browser: false, webhooks: [] } },
      { id: 'rule-3', enabled: true, event: 'job.failed', channels: { desktop: false, browser: true, webhooks: ['webhook-2'] } },
    ]);
    await waitFor(() => expect(toastTitles()).toContain('Notifications saved'));
    // the form starts again from what the server answered: the secret is set, never shown
    const saved = await screen.findByRole('group', { name: 'Webhook 2' });
    expect(within(saved).getByText('set')).toBeInTheDocument();
    expect(within(saved).getByRole('button', { name: 'Send test to Receiver' })).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Webhook 1' })).getByText('not set')).toBeInTheDocument();
  });

  it('shows the server’s validation errors next to the fields they name, and the rest above the form', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    client.handlers.setNotifications = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid input', {
        issues: [
          { path: ['webhooks', 0, 'url'], message: 'an http:// or https:// URL' },
          { path: ['rules', 1, 'minFreePercent'], message: 'Too big: expected number to be <=100' },
          { path: ['rules', 0, 'id'], message: 'rule id failures is used twice' },
          { path: [], message: 'too many rules' },
        ],
      });
    };
    await user.click(await screen.findByRole('button', { name: 'Save notifications' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('too many rules');
    const hook = screen.getByRole('group', { name: 'Webhook 1' });
    expect(within(hook).getByRole('textbox', { name: 'URL' })).toHaveAccessibleDescription('an http:// or https:// URL');
    const rule2 = screen.getByRole('group', { name: 'Rule 2' });
    expect(within(rule2).getByRole('textbox', { name: 'Below % free' })).toHaveAccessibleDescription('Too big: expected number to be <=100');
    expect(within(screen.getByRole('group', { name: 'Rule 1' })).getByText('id: rule id failures is used twice')).toBeInTheDocument();
  });

  it('checks what it can before sending: a name, an http(s) URL, a secret of 8 characters', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    await user.click(await screen.findByRole('button', { name: 'Add webhook' }));
    const hook2 = screen.getByRole('group', { name: 'Webhook 2' });
    await user.type(within(hook2).getByRole('textbox', { name: 'URL' }), 'ftp://files');
    await user.click(within(hook2).getByRole('button', { name: 'Set a secret' }));
    await user.type(within(hook2).getByLabelText('Secret'), 'short');
    await user.click(screen.getByRole('button', { name: 'Save notifications' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some fields need a fix');
    expect(within(hook2).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('give it a name');
    expect(within(hook2).getByRole('textbox', { name: 'URL' })).toHaveAccessibleDescription('an http:// or https:// URL');
    expect(within(hook2).getByText('at least 8 characters')).toBeInTheDocument();
    expect(client.callsOf('setNotifications')).toEqual([]);
  });

  it('sends a test to a saved webhook and tells its answer; tests the desktop and browser channels', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    await user.click(await screen.findByRole('button', { name: 'Send test to Ops chat' }));
    await waitFor(() => expect(toastTitles()).toContain('Ops chat answered'));
    expect(client.callsOf('testNotification')).toEqual([{ channel: 'webhook', webhookId: 'ops' }]);
    await user.click(screen.getByRole('button', { name: 'Send test (browser)' }));
    await user.click(screen.getByRole('button', { name: 'Send test (desktop)' }));
    await waitFor(() => expect(client.callsOf('testNotification')).toEqual([{ channel: 'webhook', webhookId: 'ops' }, { channel: 'browser' }, { channel: 'desktop' }]));

    client.handlers.testNotification = () => ({
      notification: { id: 't', kind: 'test', ruleId: null, title: 'Test', body: '', level: 'info', at: '2026-02-13T10:00:00.000Z', subject: 'test', channels: { desktop: false, browser: false } },
      delivery: { webhookId: 'ops', notificationId: 't', kind: 'test', attempt: 1, at: '2026-02-13T10:00:00.000Z', outcome: 'failed', httpStatus: null, error: 'connect ECONNREFUSED', durationMs: 3, nodeId: 'node-a' },
    });
    await user.click(screen.getByRole('button', { name: 'Send test to Ops chat' }));
    await waitFor(() => expect(toastStore.getState().toasts.at(-1)).toMatchObject({ color: 'red', title: 'Ops chat failed the test', message: 'connect ECONNREFUSED' }));
  });

  it('asks for the browser’s permission with "Enable browser notifications"', async () => {
    const user = userEvent.setup();
    const notifier = fakeNotifier('default', 'granted');
    setup('admin', notifier);
    expect(await screen.findByText('Browser notifications off')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Enable browser notifications' }));
    expect(await screen.findByText('Browser notifications on')).toBeInTheDocument();
    expect(notifier.requests).toBe(1);
    expect(screen.queryByRole('button', { name: 'Enable browser notifications' })).not.toBeInTheDocument();
  });

  it('says when the browser blocks notifications, and offers no button', async () => {
    setup('admin', fakeNotifier('denied'));
    expect(await screen.findByText('Blocked by the browser')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enable browser notifications' })).not.toBeInTheDocument();
  });

  it('read and operate sessions see the settings read-only; operate may send tests', async () => {
    setup('operate');
    const save = await screen.findByRole('button', { name: 'Save notifications' });
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).toHaveAccessibleDescription('Your token (operate) cannot do this: it needs admin.');
    expect(within(screen.getByRole('group', { name: 'Webhook 1' })).getByRole('textbox', { name: 'URL' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Add rule' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send test to Ops chat' })).not.toHaveAttribute('aria-disabled');
    cleanup();

    setup('read');
    const test = await screen.findByRole('button', { name: 'Send test to Ops chat' });
    expect(test).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('button', { name: 'Send test (browser)' })).toHaveAttribute('aria-disabled', 'true');
  });
});
