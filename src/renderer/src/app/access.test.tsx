// @vitest-environment jsdom
/**
 * The UI follows the caller's role: every control that calls an operation carries
 * `data-operation`, and is inert with the reason (aria-disabled + accessible description + tooltip)
 * exactly when OPERATIONS[operation].access is above the caller's role. One table over the roles
 * and every surface that offers actions (pages, the job drawer, menus and dialogs).
 */
import '../testing/setup';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CALLER, roleAllows, ROLES, type Caller, type Role } from '../../../shared/contracts/access';
import type { Job } from '../../../shared/contracts/job';
import { OPERATION_NAMES, OPERATIONS, type OperationName } from '../../../shared/contracts/operations';
import type { SystemInfo } from '../../../shared/contracts/system';
import { ApiError } from '../api/api-error';
import { AutomationsPage } from '../features/automations/AutomationsPage';
import { automationsHandlers } from '../features/automations/fixtures';
import { CreateJobModal } from '../features/create-job/CreateJobModal';
import { actionDialogStore } from '../features/jobs/job-action-dialogs-store';
import { JobActionDialogs } from '../features/jobs/JobActionDialogs';
import { JobsPage } from '../features/jobs/JobsPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { LibraryActionDialog } from '../features/library/LibraryActionDialog';
import { LibraryPage } from '../features/library/LibraryPage';
import { SystemPage } from '../features/system/SystemPage';
import { savingsHandlers } from '../features/savings/fixtures';
import { queueControlHandlers } from '../features/queue-control/fixtures';
import { SchedulesPage } from '../features/queue-control/SchedulesPage';
import { notificationsHandlers } from '../features/notifications/fixtures';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { settingsHandlers } from '../features/settings/fixtures';
import { SettingsPage } from '../features/settings/SettingsPage';
import { denialMessage } from '../lib/access';
import type { AppStores } from '../stores/app-stores';
import { createFakeClient, EMPTY_STATS, makeJob, makeVideo, pagedJobs, type FakeClient } from '../testing/fake-client';
import { renderUi } from '../testing/render';
import { storesAs } from '../testing/stores';
import { Session } from './Session';

const PENDING = makeJob({ status: 'pending', type: 'validate' });
const PAUSED = makeJob({ status: 'paused', type: 'scan', resourceCategory: 'cpu', vramRequired: 0 });
const FAILED = makeJob({ status: 'failed', type: 'thumbnail_generate', lastError: 'Input file is missing', createdBy: 'grafana' });
const RUNNING = makeJob({ status: 'running', type: 'reencode_streaming', progress: 40, startedAt: '2026-02-13T10:00:00.000Z', nodeId: 'ws-1' });
const JOBS: Job[] = [PENDING, PAUSED, FAILED, RUNNING];
const VIDEO = makeVideo();
const QUEUE = { paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null };
const INFO: SystemInfo = {
  nodeId: 'ws-1',
  version: '0.1.0',
  gpus: [],
  cpu: { cores: 8, loadAverage: [1, 1, 1] },
  vramBudgetMb: null,
  vramReservedMb: 0,
  slots: { cpu: { running: 0, limit: 5 }, gpu_encode: { running: 0, limit: 2 }, gpu_ai: { running: 0, limit: 1 } },
  // one category paused: the page offers both pause and resume
  queue: { paused: false, pausedCategories: ['gpu_ai'] },
  tools: { ffmpeg: null, ffprobe: null, error: null },
  encoders: { available: [], preferred: null, failed: [] },
};

function fakeServer(): FakeClient {
  const ok = (id: string) => ({ id, status: 'queued' as const });
  return createFakeClient({
    listJobs: pagedJobs(() => JOBS),
    getStats: () => ({ ...EMPTY_STATS, pending: 1, paused: 1, failed: 1 }),
    getQueueState: () => QUEUE,
    getJob: ({ id }) => ({ ...JOBS.find((j) => j.id === id)!, log: '' }),
    getJobLog: ({ id }) => ({ jobId: id, lines: [], dropped: 0, nextAfter: 0 }),
    getJobConsole: ({ id }) => ({ jobId: id, running: false, lines: [], droppedLines: 0 }),
    listVideos: () => ({ data: [VIDEO], pagination: { page: 1, limit: 25, total: 1, totalPages: 1 } }),
    getVideo: () => ({ ...VIDEO, tags: [] }),
    getVideoThumbnail: ({ id }) => ({ videoId: id, path: 'thumbnails/holiday.jpg', dataUrl: 'data:image/jpeg;base64,AAAA' }),
    getSystemInfo: () => INFO,
    getThroughput: () => ({ hours: [] }),
    listNodes: () => ({ mode: 'embedded', nodeId: 'ws-1', leaseMs: null, nodes: [] }),
    createJob: (input) => ({ id: '11111111-2222-4333-8444-555555555555', type: input.type as 'scan', status: 'pending', progress: 0, createdAt: '2026-02-13T10:00:00.000Z' }),
    cancelJob: ({ id }) => ({ id, status: 'cancelled' }),
    retryJob: ({ id }) => ok(id),
    pauseJob: ({ id }) => ({ id, status: 'paused' }),
    resumeJob: ({ id }) => ok(id),
    setJobPriority: ({ id, priority }) => ({ ...JOBS.find((j) => j.id === id)!, priority }),
    pauseQueue: () => QUEUE,
    resumeQueue: () => QUEUE,
    ...automationsHandlers(),
    ...savingsHandlers(VIDEO),
    ...queueControlHandlers(),
    ...notificationsHandlers(),
    ...settingsHandlers(),
  });
}

/** Every surface of the UI that offers actions, rendered and opened as a user would. */
const SURFACES: ReadonlyArray<{ readonly name: string; readonly show: (stores: AppStores, user: UserEvent) => Promise<void> }> = [
  {
    name: 'the jobs page, all rows selected, a job detail open',
    show: async (stores, user) => {
      stores.start();
      renderUi(<JobsPage jobId={FAILED.id} onOpenJob={() => {}} />, stores);
      await screen.findByRole('table', { name: 'Jobs' });
      await user.click(screen.getByRole('checkbox', { name: 'Select all jobs on this page' }));
      await screen.findByRole('region', { name: 'Bulk actions' });
      await screen.findByRole('button', { name: 'Close job details' });
      await screen.findByText('Created by grafana');
    },
  },
  {
    name: 'the dashboard with a running job',
    show: async (stores) => {
      stores.queue.setState({ stats: EMPTY_STATS, queue: QUEUE });
      renderUi(<DashboardPage onOpenJob={() => {}} onShowJobs={() => {}} />, stores);
      await screen.findByRole('article', { name: /Running job/ });
    },
  },
  {
    name: 'the automations page with a pipeline open',
    show: async (stores) => {
      renderUi(<AutomationsPage onOpenJob={() => {}} />, stores);
      await screen.findByRole('region', { name: 'Pipeline Streaming-ready library' });
      await screen.findByRole('button', { name: 'Save watch settings' });
    },
  },
  {
    name: 'the library page with a row menu open',
    show: async (stores, user) => {
      renderUi(<LibraryPage onJobCreated={() => {}} />, stores);
      await screen.findByRole('button', { name: 'Restore original of Holiday' });
      await user.click(await screen.findByRole('button', { name: 'Actions for Holiday' }));
      await screen.findByRole('menuitem', { name: 'Validate metadata' });
    },
  },
  {
    name: 'the system page',
    show: async (stores) => {
      stores.queue.setState({ stats: EMPTY_STATS, queue: QUEUE });
      renderUi(<SystemPage />, stores);
      await screen.findByRole('button', { name: 'Resume GPU AI' });
    },
  },
  {
    name: 'the schedules page',
    show: async (stores) => {
      stores.queue.setState({ stats: EMPTY_STATS, queue: QUEUE });
      renderUi(<SchedulesPage />, stores);
      await screen.findByRole('button', { name: 'Save schedules' });
      await screen.findByRole('button', { name: 'Drain' });
    },
  },
  {
    name: 'the notifications page',
    show: async (stores) => {
      renderUi(<NotificationsPage />, stores);
      await screen.findByRole('button', { name: 'Save notifications' });
      await screen.findByRole('button', { name: 'Send test to Ops chat' });
    },
  },
  {
    name: 'the settings page',
    show: async (stores) => {
      renderUi(<SettingsPage />, stores);
      await screen.findByRole('button', { name: 'Save settings' });
      await screen.findByRole('button', { name: 'Import…' });
    },
  },
  {
    name: 'the create-job modal',
    show: async (stores) => {
      renderUi(<CreateJobModal opened onClose={() => {}} initialType="scan" />, stores);
      await screen.findByRole('dialog', { name: 'Create job' });
    },
  },
  {
    name: 'the library action dialog',
    show: async (stores) => {
      renderUi(<LibraryActionDialog request={{ action: 'validate', video: VIDEO }} onClose={() => {}} onCreated={() => {}} />, stores);
      await screen.findByRole('dialog', { name: 'Validate metadata' });
    },
  },
  {
    name: 'the cancel confirmation',
    show: async (stores) => {
      actionDialogStore.getState().open('cancel', [PENDING]);
      renderUi(<JobActionDialogs />, stores);
      await screen.findByRole('dialog', { name: 'Cancel jobs?' });
    },
  },
  {
    name: 'the priority dialog',
    show: async (stores) => {
      actionDialogStore.getState().open('priority', [PENDING]);
      renderUi(<JobActionDialogs />, stores);
      await screen.findByRole('dialog', { name: 'Change priority' });
    },
  },
];

/** The operations a control calls, as the controls in the document say (portals included). */
function controls(): Array<{ element: HTMLElement; operation: OperationName }> {
  return [...document.body.querySelectorAll<HTMLElement>('[data-operation]')].map((element) => ({ element, operation: element.dataset.operation as OperationName }));
}

const inert = (el: HTMLElement) => el.getAttribute('aria-disabled') === 'true' || (el as HTMLButtonElement).disabled;
const nameOf = (el: HTMLElement) => `${el.getAttribute('aria-label') ?? el.textContent?.trim()} (${el.dataset.operation})`;

/** Buttons that only change what is shown (a status filter, the selection): pressed, they would hide the rest. */
const VIEW_ONLY = /^(Clear selection|\w+: \d+ \(show only these\))$/;

/** Every operation above `read`: what the UI must offer somewhere. */
const ACTION_OPERATIONS = OPERATION_NAMES.filter((name) => OPERATIONS[name].access !== 'read').sort();

describe('the UI follows the caller’s role', () => {
  it.each(ROLES)('%s session: each action control is usable exactly when OPERATIONS[op].access allows, and says why not', async (role: Role) => {
    const seen = new Set<OperationName>();
    for (const surface of SURFACES) {
      const client = fakeServer();
      const stores = storesAs(role, client);
      const user = userEvent.setup();
      await surface.show(stores, user);
      const found = controls();
      expect(found.length, surface.name).toBeGreaterThan(0);
      for (const { element, operation } of found) {
        seen.add(operation);
        const needed = OPERATIONS[operation].access;
        const allowed = roleAllows(role, needed);
        expect(inert(element), `${nameOf(element)} on ${surface.name}`).toBe(!allowed);
        if (!allowed) expect(element, nameOf(element)).toHaveAccessibleDescription(denialMessage(role, needed));
      }
      // nothing a caller can press sends an operation its role lacks: the inert controls, and every
      // other button and menu item too (one left unguarded would show here)
      const before = client.calls.length;
      for (const { element } of found.filter((c) => inert(c.element) && !(c.element as HTMLButtonElement).disabled)) await user.click(element);
      for (const element of screen.queryAllByRole('button').concat(screen.queryAllByRole('menuitem'))) {
        if (element.isConnected && !inert(element) && !VIEW_ONLY.test(element.getAttribute('aria-label') ?? element.textContent ?? '')) await user.click(element);
      }
      const sent = client.calls.slice(before).map((c) => c.name);
      expect(sent.filter((n) => !roleAllows(role, OPERATIONS[n].access)), surface.name).toEqual([]);
      actionDialogStore.getState().close();
      cleanup();
    }
    // every action the server offers is somewhere in the UI, guarded
    expect([...seen].sort()).toEqual(ACTION_OPERATIONS);
  }, 90_000); // every surface rendered and every control pressed, per role: slow on a loaded two-core machine

  it('explains a denied control on hover and on keyboard focus, keeping its name', async () => {
    const user = userEvent.setup();
    const stores = storesAs({ name: 'grafana', role: 'read' }, fakeServer());
    stores.start();
    renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
    const create = await screen.findByRole('button', { name: 'Create job' });
    expect(create).toHaveAttribute('aria-disabled', 'true');
    expect(create).toHaveAccessibleDescription('Your token (read) cannot do this: it needs operate.');
    await user.hover(create);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Your token (read) cannot do this: it needs operate.');
    await user.unhover(create);
    await waitFor(() => expect(screen.queryByRole('tooltip')).not.toBeInTheDocument());
    const table = screen.getByRole('table', { name: 'Jobs' });
    const cancel = within(table).getByRole('button', { name: 'Cancel validate job' });
    cancel.focus();
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Your token (read) cannot do this: it needs operate.');
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: 'Cancel jobs?' })).not.toBeInTheDocument();
  });

  it('an operate session acts on jobs: a row cancel goes through', async () => {
    const user = userEvent.setup();
    const client = fakeServer();
    const stores = storesAs({ name: 'ci-bot', role: 'operate' }, client);
    stores.start();
    renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    expect(screen.getByRole('button', { name: 'Create job' })).not.toHaveAttribute('aria-disabled');
    await user.click(within(table).getByRole('button', { name: 'Cancel validate job' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel jobs?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(client.callsOf('cancelJob')).toEqual([{ id: PENDING.id }]));
  });

  it('shows who is signed in: a token by name and role, the desktop window as desktop · admin', async () => {
    const web = fakeServer();
    web.handlers.getSession = () => ({ name: 'grafana', role: 'read' }) satisfies Caller;
    renderUi(<Session client={web} />);
    expect(await screen.findByText(/grafana · read/)).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Create job' })).toHaveAttribute('aria-disabled', 'true');
    expect(web.callsOf('getSession')).toHaveLength(1);
    cleanup();

    const desktop: FakeClient = Object.assign(fakeServer(), { kind: 'ipc' as const });
    desktop.handlers.getSession = () => DESKTOP_CALLER;
    renderUi(<Session client={desktop} />);
    expect(await screen.findByText(/desktop · admin/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create job' })).not.toHaveAttribute('aria-disabled'));
  });

  it('waits for the role before offering actions, and offers them when the server cannot say (it decides)', async () => {
    let answer: (caller: Caller) => void = () => {};
    const client = fakeServer();
    client.handlers.getSession = () => new Promise<Caller>((resolve) => (answer = resolve));
    renderUi(<Session client={client} />);
    const create = await screen.findByRole('button', { name: 'Create job' });
    expect(create).toHaveAttribute('aria-disabled', 'true');
    expect(create).toHaveAccessibleDescription('Checking what your token may do…');
    answer({ name: 'ci-bot', role: 'operate' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create job' })).not.toHaveAttribute('aria-disabled'));
    cleanup();

    const old = fakeServer();
    old.handlers.getSession = () => {
      throw new ApiError('NOT_FOUND', 'Route GET:/api/auth/session not found');
    };
    renderUi(<Session client={old} />);
    expect(await screen.findByText('role unknown')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create job' })).not.toHaveAttribute('aria-disabled');
  });

  it('a 403 that still happens (the role changed) is told in a toast, re-reads the role and does not sign out', async () => {
    const user = userEvent.setup();
    const client = fakeServer();
    let role: Role = 'operate';
    client.handlers.getSession = () => ({ name: 'ci-bot', role });
    client.handlers.cancelJob = () => {
      role = 'read';
      throw new ApiError('FORBIDDEN', 'The token "ci-bot" has the read role; this needs operate.', { requiredRole: 'operate', role: 'read' });
    };
    let signedOut = false;
    window.location.hash = '#/jobs';
    renderUi(<Session client={client} onSignOut={() => (signedOut = true)} />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    await waitFor(() => expect(within(table).getByRole('button', { name: 'Cancel validate job' })).not.toHaveAttribute('aria-disabled'));
    await user.click(within(table).getByRole('button', { name: 'Cancel validate job' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Cancel jobs?' })).getByRole('button', { name: 'Cancel job' }));
    const toast = (await screen.findByText('Not allowed with this token')).closest<HTMLElement>('[role="alert"]')!;
    expect(toast).toHaveTextContent('Your token (read) cannot do this: it needs operate.');
    expect(screen.queryByText('The server refused')).not.toBeInTheDocument();
    // the role is read again: the header and the controls follow
    expect(await screen.findByText(/ci-bot · read/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create job' })).toHaveAttribute('aria-disabled', 'true'));
    expect(client.callsOf('getSession').length).toBeGreaterThanOrEqual(2);
    expect(signedOut).toBe(false);
    expect(screen.getByRole('heading', { name: 'Jobs' })).toBeInTheDocument();
  });
});
