/**
 * A control that calls an operation, offered only when the caller's role allows it. The least role
 * comes from the operations table; a control the caller may not use stays visible and focusable but
 * inert (Mantine's recommended way for a disabled button with a tooltip: `data-disabled` instead of
 * `disabled`, which would swallow hover and focus), with `aria-disabled` and the reason both as a
 * tooltip (hover and focus) and as the control's accessible description.
 *
 *   <Guarded operation="cancelJob" label="Cancel"><ActionIcon aria-label="Cancel scan job" onClick={…} /></Guarded>
 *
 * While the live connection to the server is lost (reconnecting or closed), every guarded control
 * is inert the same way, saying so: what the page shows may be stale, so no action is sent on it.
 */
import { Tooltip, VisuallyHidden } from '@mantine/core';
import { cloneElement, useId, useMemo, type ReactElement, type ReactNode, type SyntheticEvent } from 'react';
import type { OperationName } from '../../../shared/contracts/operations';
import { operationAccess, type OperationAccess } from '../lib/access';
import { useAppStore } from '../stores/stores-context';

/** Why actions are held back while the live stream is down. */
export const OFFLINE_REASON = 'Disconnected from the server: actions are back once the live connection returns (reconnecting…).';

/** Whether the caller may use `operation` now: its role allows it, and the live connection is up. */
export function useOperationAccess(operation: OperationName): OperationAccess {
  const session = useAppStore('session', (s) => s.session);
  const offline = useAppStore('connection', (s) => s.status === 'reconnecting' || s.status === 'closed');
  return useMemo(() => {
    const access = operationAccess(session, operation);
    return access.allowed && offline ? { allowed: false, reason: OFFLINE_REASON } : access;
  }, [session, operation, offline]);
}

const block = (event: SyntheticEvent) => {
  event.preventDefault();
  event.stopPropagation();
};

export interface GuardedProps {
  readonly operation: OperationName;
  /** The control's own tooltip, shown while it is allowed. */
  readonly label?: ReactNode;
  readonly openDelay?: number;
  /** One Mantine control (Button, ActionIcon …) that takes `onClick`, `data-*` and `aria-*`. */
  readonly children: ReactElement<Record<string, unknown>>;
}

export function Guarded({ operation, label, openDelay, children }: GuardedProps) {
  const access = useOperationAccess(operation);
  const reasonId = useId();
  if (access.allowed) {
    const control = cloneElement(children, { 'data-operation': operation });
    return label ? (
      <Tooltip label={label} openDelay={openDelay}>
        {control}
      </Tooltip>
    ) : (
      control
    );
  }
  return (
    <>
      <Tooltip label={access.reason} events={{ hover: true, focus: true, touch: true }} multiline maw={320}>
        {cloneElement(children, {
          'data-operation': operation,
          'data-disabled': true,
          'aria-disabled': true,
          'aria-describedby': reasonId,
          disabled: false,
          loading: false,
          onClick: block,
          ...(children.props.type === 'submit' ? { type: 'button' } : {}),
        })}
      </Tooltip>
      <VisuallyHidden id={reasonId}>{access.reason}</VisuallyHidden>
    </>
  );
}
