/**
 * One pipeline opened below the list: its actions (dry run, run now over the library, delete) and
 * three tabs — the editor, the dry-run table and the run history. The editor is kept while another
 * tab is shown (Mantine keeps inactive panels mounted), so unsaved edits survive a look at the runs.
 */
import { Badge, Button, Card, Checkbox, Group, Modal, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Pipeline } from '../../../../shared/contracts/pipeline';
import { Guarded } from '../../components/Guarded';
import { Icon } from '../../components/icons';
import type { AutomationsStore } from '../../stores/automations-store';
import { showToast } from '../../stores/toast-store';
import { DryRunPanel } from './DryRunPanel';
import { PipelineEditor } from './PipelineEditor';
import { RunHistory } from './RunHistory';

export type DetailTab = 'editor' | 'dry-run' | 'runs';

export interface PipelineDetailProps {
  readonly store: AutomationsStore;
  readonly pipeline: Pipeline;
  readonly tab: DetailTab;
  readonly onTabChange: (tab: DetailTab) => void;
  readonly onOpenJob: (jobId: string) => void;
  readonly onDeleted: () => void;
}

export function PipelineDetail({ store, pipeline, tab, onTabChange, onOpenJob, onDeleted }: PipelineDetailProps) {
  const [confirm, setConfirm] = useState<'run' | 'delete' | null>(null);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);

  const dryRun = () => {
    onTabChange('dry-run');
    void store.getState().dryRun(pipeline.id, false);
  };

  const runAll = async () => {
    setBusy(true);
    const outcome = await store.getState().run(pipeline.id, { force });
    setBusy(false);
    setConfirm(null);
    if (outcome.kind === 'saved') {
      const { started, skipped } = outcome.value;
      showToast({ color: started.length > 0 ? 'green' : 'yellow', title: `${started.length} run${started.length === 1 ? '' : 's'} started`, message: `${skipped.length} video${skipped.length === 1 ? '' : 's'} skipped.` });
      onTabChange('runs');
    } else if (outcome.kind !== 'failed' || !outcome.forbidden) {
      showToast({ color: 'red', title: 'Could not run the pipeline', message: outcome.message });
    }
  };

  const remove = async () => {
    setBusy(true);
    const outcome = await store.getState().remove(pipeline.id);
    setBusy(false);
    setConfirm(null);
    if (outcome.kind === 'saved') {
      showToast({ color: 'green', title: `Deleted “${pipeline.name}”`, message: 'Its runs stay in the jobs history.' });
      onDeleted();
    } else if (outcome.kind !== 'failed' || !outcome.forbidden) {
      showToast({ color: 'red', title: 'Could not delete the pipeline', message: outcome.message });
    }
  };

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label={`Pipeline ${pipeline.name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
          <Stack gap={2} miw={0} style={{ flex: '1 1 240px' }}>
            <Group gap="xs" wrap="nowrap" miw={0}>
              <Title order={3} size="h4" style={{ overflowWrap: 'anywhere' }}>
                {pipeline.name}
              </Title>
              <Badge variant="light" color={pipeline.enabled ? 'green' : 'gray'}>
                {pipeline.enabled ? 'on' : 'off'}
              </Badge>
            </Group>
            {pipeline.description && (
              <Text size="xs" c="dimmed" lineClamp={2}>
                {pipeline.description}
              </Text>
            )}
          </Stack>
          <Group gap="xs" wrap="wrap">
            <Guarded operation="dryRunPipeline" label="What would it do? Evaluate it over the library without creating jobs." openDelay={400}>
              <Button size="xs" variant="default" leftSection={<Icon name="search" size={14} />} onClick={dryRun}>
                Dry run
              </Button>
            </Guarded>
            <Guarded operation="runPipeline">
              <Button size="xs" variant="default" leftSection={<Icon name="play" size={14} />} onClick={() => setConfirm('run')}>
                Run now…
              </Button>
            </Guarded>
            <Guarded operation="deletePipeline">
              <Button size="xs" variant="subtle" color="red" onClick={() => setConfirm('delete')}>
                Delete…
              </Button>
            </Guarded>
          </Group>
        </Group>

        <Tabs value={tab} onChange={(v) => v && onTabChange(v as DetailTab)}>
          <Tabs.List>
            <Tabs.Tab value="editor">Editor</Tabs.Tab>
            <Tabs.Tab value="dry-run">Dry run</Tabs.Tab>
            <Tabs.Tab value="runs">
              Runs{pipeline.runs.running > 0 ? ` (${pipeline.runs.running} running)` : ''}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="editor" pt="sm">
            <PipelineEditor store={store} pipeline={pipeline} />
          </Tabs.Panel>
          <Tabs.Panel value="dry-run" pt="sm">
            <DryRunPanel store={store} pipelineId={pipeline.id} onRunStarted={() => onTabChange('runs')} />
          </Tabs.Panel>
          <Tabs.Panel value="runs" pt="sm">
            <RunHistory store={store} pipelineId={pipeline.id} onOpenJob={onOpenJob} />
          </Tabs.Panel>
        </Tabs>
      </Stack>

      <Modal opened={confirm === 'run'} onClose={() => setConfirm(null)} title="Run the pipeline now?" centered>
        <Stack>
          <Text size="sm">
            “{pipeline.name}” starts one run for each library video its conditions match{pipeline.enabled ? '' : ' (even though it is off)'}. Content it processed already is skipped unless forced. A
            dry run shows which videos first.
          </Text>
          <Checkbox label="Force (run on content processed already, and on its own outputs)" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Guarded operation="runPipeline">
              <Button loading={busy} onClick={() => void runAll()}>
                Run on the library
              </Button>
            </Guarded>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={confirm === 'delete'} onClose={() => setConfirm(null)} title="Delete the pipeline?" centered>
        <Stack>
          <Text size="sm">“{pipeline.name}” is deleted; its runs in progress go on to their end, and their jobs stay in the jobs history.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
              Keep it
            </Button>
            <Guarded operation="deletePipeline">
              <Button color="red" loading={busy} onClick={() => void remove()}>
                Delete pipeline
              </Button>
            </Guarded>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
