/**
 * The desktop bridge contract between the preload script (which builds `window.mediaApi`), the
 * IPC bridge in the main process and the renderer. It lives in shared/ because the renderer's
 * TypeScript project cannot import from src/preload. Types and two string constants only: the
 * sandboxed preload bundles this file, so it must not pull zod or anything else in.
 *
 * Protocol: one IPC channel per operation (`op:<name>`), answered with an {@link IpcResult};
 * live events arrive in batches on the `events` channel.
 */
import type { ErrorBody } from './errors';
import type { OperationInput, OperationName, OperationOutput } from './operations';

export const IPC_EVENTS_CHANNEL = 'events';
export const IPC_OPERATION_PREFIX = 'op:';

export function operationChannel(name: OperationName): string {
  return `${IPC_OPERATION_PREFIX}${name}`;
}

/** Errors cross the process boundary as values with stable codes. */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorBody };

export type { MediaEvent } from './events';
import type { MediaEvent } from './events';

export type MediaEventListener = (events: readonly MediaEvent[]) => void;

/** Operations whose whole input is optional may be called without an argument. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "{}" is exactly "an object with no required field" here
export type OperationFunction<N extends OperationName> = {} extends OperationInput<N>
  ? (input?: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>
  : (input: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;

/** `window.mediaApi`: one function per operation plus a subscription to live events. */
export type MediaApi = { readonly [N in OperationName]: OperationFunction<N> } & {
  /** Calls `listener` with each batch of live events; returns the unsubscribe function. */
  onEvent(listener: MediaEventListener): () => void;
};
