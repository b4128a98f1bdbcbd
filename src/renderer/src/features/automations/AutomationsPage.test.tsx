// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS } from '../../../../shared/contracts/operations';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { AutomationsPage } from './AutomationsPage';
import { automationsHandlers, JOB_ID, makePipeline, makeRun, OTHER_PIPELINE_ID, PIPELINE_ID, VIDEO_ID } from './fixtures';

function setup(pipelines = [makePipeline()], role: 'admin' | 'operate' | 'read' = 'admin') {
  const client = createFakeClient(automationsHandlers(pipelines));
  const stores = storesAs(role, client);
  const onOpenJob = vi.fn();
  renderUi(<AutomationsPage onOpenJob={onOpenJob} />, stores);
  return { client, onOpenJob, user: userEvent.setup() };
}

describe('AutomationsPage', () => {
  it('lists the pipelines with their switch, last run and run counts, and switches one on', async () => {
    const { client, user } = setup();
    const table = await screen.findByRole('table', { name: 'Pipelines' });
    const row = within(table).getByText('Streaming-ready library').closest('tr')!;
    expect(within(row).getByText('New file · 2 steps · v1')).toBeInTheDocument();
    expect(within(row).getByLabelText('Run failed')).toBeInTheDocument();
    expect(within(row).getByLabelText('3 completed')).toBeInTheDocument();
    expect(within(row).getByLabelText('1 running')).toBeInTheDocument();

    const toggle = within(row).getByRole('switch', { name: 'Enabled: Streaming-ready library' });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(toggle).toBeChecked());
    expect(client.callsOf('updatePipeline')).toEqual([expect.objectContaining({ id: PIPELINE_ID, version: 1, enabled: true, name: 'Streaming-ready library' })]);
    expect(within(row).getByText('New file · 2 steps · v2')).toBeInTheDocument();
  });

  it('creates a pipeline from a template and opens it', async () => {
    const { client, user } = setup([]);
    await user.click(await screen.findByRole('button', { name: 'New from template' }));
    const dialog = await screen.findByRole('dialog', { name: 'New pipeline from a template' });
    await user.click(await within(dialog).findByRole('radio', { name: 'Nightly library health check' }));
    expect(within(dialog).getByRole('textbox', { name: /Name/ })).toHaveValue('Nightly library health check');
    await user.click(within(dialog).getByRole('checkbox', { name: /Switch it on now/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Create pipeline' }));
    await waitFor(() => expect(client.callsOf('createPipeline')).toEqual([{ template: 'nightly-library-health-check', name: 'Nightly library health check', enabled: true }]));
    const section = await screen.findByRole('region', { name: 'Pipeline Nightly library health check' });
    expect(within(section).getByRole('textbox', { name: /^Name/ })).toHaveValue('Nightly library health check');
    expect(screen.getByRole('table', { name: 'Pipelines' }).querySelector(`[data-pipeline-id="${OTHER_PIPELINE_ID}"]`)).toHaveAttribute('aria-selected', 'true');
  });

  it('shows the dry run per video, runs one from its row, and lists the run with links to its jobs', async () => {
    const { client, onOpenJob, user } = setup();
    const section = await screen.findByRole('region', { name: 'Pipeline Streaming-ready library' });
    await user.click(within(section).getByRole('button', { name: 'Dry run' }));
    const table = await within(section).findByRole('table', { name: 'Dry run' });
    expect(within(section).getByText(/2 videos evaluated/)).toBeInTheDocument();
    const wouldRun = within(table).getByText('inbox/holiday.mkv').closest('tr')!;
    expect(within(wouldRun).getByText('Would run')).toBeInTheDocument();
    expect(within(wouldRun).getByText('validate')).toBeInTheDocument();
    const skipped = within(table).getByText('inbox/clip.mp4').closest('tr')!;
    expect(within(skipped).getByText('Skipped')).toBeInTheDocument();
    expect(within(skipped).getByText('videoCodec is h264 (wanted: not h264)')).toBeInTheDocument();

    await user.click(within(wouldRun).getByRole('button', { name: 'Run on inbox/holiday.mkv' }));
    await waitFor(() => expect(client.callsOf('runPipeline')).toEqual([{ id: PIPELINE_ID, force: false, videoIds: [VIDEO_ID] }]));
    // the run history opens, with the run's steps and jobs
    const run = await within(section).findByRole('article', { name: 'Run on inbox/holiday.mkv' });
    expect(within(run).getByLabelText('Run running')).toBeInTheDocument();
    expect(within(run).getByLabelText('Status: Queued')).toBeInTheDocument();
    await user.click(within(run).getByRole('link', { name: 'Open the validate job of step validate' }));
    expect(onOpenJob).toHaveBeenCalledWith(JOB_ID);
  });

  it('follows pipeline.run.updated live in the run history', async () => {
    const client = createFakeClient(automationsHandlers());
    const stores = storesAs('admin', client);
    renderUi(<AutomationsPage onOpenJob={() => {}} query={{ pipeline: PIPELINE_ID, tab: 'runs' }} onQueryChange={() => {}} />, stores);
    const run = await screen.findByRole('article', { name: 'Run on inbox/holiday.mkv' });
    expect(within(run).getByLabelText('Run running')).toBeInTheDocument();
    client.emit([{ type: 'pipeline.run.updated', run: makeRun({ status: 'completed', steps: makeRun().steps.map((s) => ({ ...s, state: 'completed' as const, jobStatus: 'completed' as const })) }) }]);
    await waitFor(() => expect(within(run).getByLabelText('Run completed')).toBeInTheDocument());
  });

  it('offers nothing a read token may not do: the switches, dry run, run, delete and new are inert', async () => {
    const { client, user } = setup([makePipeline()], 'read');
    const section = await screen.findByRole('region', { name: 'Pipeline Streaming-ready library' });
    for (const control of [
      screen.getByRole('switch', { name: 'Enabled: Streaming-ready library' }),
      within(section).getByRole('button', { name: 'Dry run' }),
      within(section).getByRole('button', { name: 'Run now…' }),
      within(section).getByRole('button', { name: 'Delete…' }),
      within(section).getByRole('button', { name: 'Save' }),
      screen.getByRole('button', { name: 'New from template' }),
    ]) {
      expect(control).toHaveAttribute('aria-disabled', 'true');
      await user.click(control);
    }
    expect(client.calls.map((c) => c.name).filter((n) => OPERATIONS[n].access !== 'read')).toEqual([]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
