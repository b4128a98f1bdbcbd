/**
 * One `ipcMain.handle` channel per operation of the operations table (`op:<name>`); no generic
 * channel. Each call: sender check → runtime.execute as the desktop user (admin: the person at the
 * machine the runtime runs on; execute validates the input with the operation's zod schema) →
 * `{ ok: true, value }` or `{ ok: false, error }`.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { DESKTOP_CALLER } from '../../shared/contracts/access';
import { AppError } from '../../shared/contracts/errors';
import { operationChannel, type IpcResult } from '../../shared/contracts/desktop-api';
import { OPERATION_NAMES, type OperationName } from '../../shared/contracts/operations';
import type { Runtime } from '../runtime/create-runtime';
import { toErrorBody } from './error-body';
import { isTrustedSender, type TrustedRenderer } from './sender-check';

export type IpcHandle = Pick<IpcMain, 'handle' | 'removeHandler'>;
type Logger = Pick<Console, 'warn' | 'error'>;

export interface OperationBridgeDeps {
  readonly ipcMain: IpcHandle;
  readonly runtime: Pick<Runtime, 'execute'>;
  readonly trusted: TrustedRenderer;
  readonly logger?: Logger;
}

export function createOperationHandler(name: OperationName, deps: Omit<OperationBridgeDeps, 'ipcMain'>) {
  const logger = deps.logger ?? console;
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, input: unknown): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event.senderFrame, deps.trusted)) {
      logger.warn(`Refused IPC call ${name} from an untrusted frame: ${event.senderFrame?.url ?? '(gone)'}`);
      return { ok: false, error: new AppError('UNAUTHORIZED', 'This page may not call the application.').toBody() };
    }
    try {
      return { ok: true, value: await deps.runtime.execute(name, input, DESKTOP_CALLER) };
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code === 'INTERNAL') logger.error(`Operation ${name} failed:`, error);
      return { ok: false, error: body };
    }
  };
}

/** Registers every operation; returns a function that removes the handlers again. */
export function registerOperationHandlers(deps: OperationBridgeDeps): () => void {
  for (const name of OPERATION_NAMES) {
    deps.ipcMain.handle(operationChannel(name), createOperationHandler(name, deps));
  }
  return () => {
    for (const name of OPERATION_NAMES) deps.ipcMain.removeHandler(operationChannel(name));
  };
}
