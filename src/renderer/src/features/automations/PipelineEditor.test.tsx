// @vitest-environment jsdom
import '../../testing/setup';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { createAutomationsStore } from '../../stores/automations-store';
import { createFakeClient, type FakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { automationsHandlers, makePipeline, PIPELINE_ID } from './fixtures';
import { PipelineEditor } from './PipelineEditor';

async function setup(client: FakeClient = createFakeClient(automationsHandlers())) {
  const store = createAutomationsStore(client);
  await store.getState().load();
  const stores = storesAs('admin', client);
  const view = renderUi(<PipelineEditor store={store} pipeline={store.getState().pipelines[0]!} />, stores);
  const rerender = () => view.rerender(<PipelineEditor store={store} pipeline={store.getState().pipelines[0]!} />);
  return { client, store, rerender, user: userEvent.setup() };
}

const lastSaved = (client: FakeClient) => client.callsOf('updatePipeline').at(-1) as Record<string, unknown>;

describe('PipelineEditor', () => {
  it('saves the form with the version it edits: trigger, nested rule groups and a new step', async () => {
    const { client, user } = await setup();
    // trigger: a new file in inbox only
    const folders = screen.getByRole('combobox', { name: /Folders/ });
    await user.type(folders, 'inbox{Enter}');
    // conditions: all of [valid is yes, any of [videoCodec is not h264]]
    const conditions = screen.getByRole('group', { name: 'Conditions' });
    await user.click(within(conditions).getAllByRole('button', { name: 'Add group' })[0]!);
    // steps: one more, after the re-encode
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.callsOf('updatePipeline')).toHaveLength(1));
    expect(lastSaved(client)).toMatchObject({
      id: PIPELINE_ID,
      version: 1,
      enabled: false,
      trigger: { type: 'file_added', folders: ['inbox'] },
      conditions: { all: [{ field: 'valid', op: 'eq', value: true }, { any: [{ field: 'videoCodec', op: 'ne', value: 'h264' }] }] },
      steps: [{ id: 'validate' }, { id: 'reencode' }, { id: 'validate_2', type: 'validate', params: { videoId: '{{video.id}}' }, after: { step: 'reencode', on: 'success' } }],
    });
    expect(await screen.findByText('Version 2')).toBeInTheDocument();
  });

  it('shows the server’s validation errors at the step and field they name', async () => {
    const client = createFakeClient({
      ...automationsHandlers(),
      updatePipeline: () => {
        throw new ApiError('VALIDATION_FAILED', 'Invalid pipeline', {
          issues: [
            { path: 'steps.1.after.step', message: 'step "reencode" runs after "nope", which is not a step of this pipeline' },
            { path: 'steps.1.params.targetBitrate', message: 'step "reencode" (reencode_streaming): params.targetBitrate: Too small' },
            { path: 'conditions.all.0.value', message: 'Invalid input: expected boolean' },
          ],
        });
      },
    });
    const { user } = await setup(client);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), ' 2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const step = await screen.findByRole('group', { name: 'Step reencode' });
    expect(within(step).getByText(/runs after "nope"/)).toBeInTheDocument();
    expect(within(step).getByText(/params.targetBitrate: Too small/)).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Rule 1' })).getByText('Invalid input: expected boolean')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Step validate' })).queryByText(/nope/)).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The server refused the pipeline');
  });

  it('a 409 conflict tells the user to reload, and Reload shows the stored version', async () => {
    const client = createFakeClient(automationsHandlers());
    client.handlers.updatePipeline = () => {
      throw new ApiError('VERSION_CONFLICT', 'Pipeline "Streaming-ready library" is at version 4, not 1: someone changed it meanwhile.', { currentVersion: 4 });
    };
    client.handlers.getPipeline = () => makePipeline({ version: 4, name: 'Renamed by someone' });
    const { user, rerender } = await setup(client);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), '!');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('someone changed it meanwhile');
    expect(alert).toHaveTextContent('Reload it to edit the current version');
    await user.click(within(alert).getByRole('button', { name: 'Reload the pipeline' }));
    await waitFor(() => expect(client.callsOf('getPipeline')).toHaveLength(1));
    rerender();
    await waitFor(() => expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('Renamed by someone'));
    expect(screen.getByText('Version 4')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('edits the whole document as JSON; a syntax error is shown with its line and nothing is sent', async () => {
    const { client, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'JSON (advanced)' }));
    const json = screen.getByRole('textbox', { name: 'Pipeline JSON' });
    expect(JSON.parse((json as HTMLTextAreaElement).value)).toMatchObject({ name: 'Streaming-ready library', steps: [{ id: 'validate' }, { id: 'reencode' }] });
    fireEvent.change(json, { target: { value: '{\n  "name": "x",\n  "trigger": {"type": "manual"},,\n  "steps": []\n}' } });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/^Line 3, column/)).toBeInTheDocument();
    expect(client.callsOf('updatePipeline')).toHaveLength(0);
    // a good document goes back to the form
    const doc = { name: 'From JSON', trigger: { type: 'schedule', cron: '0 4 * * *' }, conditions: { all: [] }, steps: [{ id: 'only', type: 'validate', params: { videoId: '{{video.id}}' } }] };
    fireEvent.change(json, { target: { value: JSON.stringify(doc) } });
    await user.click(screen.getByRole('tab', { name: 'Form' }));
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('From JSON');
    expect(screen.getByRole('textbox', { name: /Cron expression/ })).toHaveValue('0 4 * * *');
    expect(screen.getByRole('group', { name: 'Step only' })).toBeInTheDocument();
  });

  it('keeps unsaved edits when only the on/off switch moved the version', async () => {
    const { store, user, rerender } = await setup();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), ' (edited)');
    await store.getState().setEnabled(store.getState().pipelines[0]!, true);
    rerender();
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('Streaming-ready library (edited)');
    expect(screen.getByText('Version 2 · unsaved changes')).toBeInTheDocument();
    expect(screen.queryByText('Changed elsewhere')).not.toBeInTheDocument();
  });

  it('a schedule trigger says when it runs next, or what is wrong with the expression', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('combobox', { name: 'Runs when' }));
    await user.click(await screen.findByRole('option', { name: /On a schedule/ }));
    const cron = screen.getByRole('textbox', { name: /Cron expression/ });
    expect(cron).toHaveValue('0 3 * * *');
    expect(screen.getByText('Next:')).toBeInTheDocument();
    await user.clear(cron);
    await user.type(cron, '61 * * * *');
    expect(await screen.findByText(/Not a cron expression/)).toBeInTheDocument();
  });
});
