/**
 * The action buttons a job's state allows, plus "details"; each with an accessible name. An action
 * the caller's role does not allow stays in place, inert, and says why (see Guarded).
 */
import { ActionIcon, Group, Tooltip } from '@mantine/core';
import type { Job } from '../../../../shared/contracts/job';
import { Guarded } from '../../components/Guarded';
import { Icon, type IconName } from '../../components/icons';
import { actionLabel, actionsFor, type JobAction } from '../../lib/job-presentation';
import { JOB_ACTION_OPERATIONS } from './run-job-action';

const ICONS: Readonly<Record<JobAction, IconName>> = {
  retry: 'retry',
  cancel: 'cancel',
  pause: 'pause',
  resume: 'play',
  priority: 'priority',
};

const COLORS: Readonly<Record<JobAction, string>> = {
  retry: 'blue',
  cancel: 'red',
  pause: 'yellow',
  resume: 'green',
  priority: 'orange',
};

export interface JobRowActionsProps {
  readonly job: Job;
  readonly onAction: (action: JobAction, job: Job) => void;
  readonly onDetails?: (job: Job) => void;
}

export function JobRowActions({ job, onAction, onDetails }: JobRowActionsProps) {
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {/* a job being cancelled takes no more actions: it is cancelled as soon as its tool has exited */}
      {(job.cancelling ? [] : actionsFor(job.status)).map((action) => {
        const label = actionLabel(action, job.status);
        return (
          <Guarded key={action} operation={JOB_ACTION_OPERATIONS[action]} label={label} openDelay={300}>
            <ActionIcon
              variant="subtle"
              color={COLORS[action]}
              aria-label={`${label} ${job.type} job`}
              data-action={action}
              onClick={(e) => {
                e.stopPropagation();
                onAction(action, job);
              }}
            >
              <Icon name={ICONS[action]} size={16} />
            </ActionIcon>
          </Guarded>
        );
      })}
      {onDetails && (
        <Tooltip label="View details" openDelay={300}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`View details of ${job.type} job`}
            data-action="details"
            onClick={(e) => {
              e.stopPropagation();
              onDetails(job);
            }}
          >
            <Icon name="details" size={16} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}
