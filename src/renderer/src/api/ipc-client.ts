/** The desktop transport: `window.mediaApi` from the preload script (one function per operation). */
import type { IpcResult, MediaApi } from '../../../shared/contracts/desktop-api';
import { ApiError } from './api-error';
import type { MediaClient, MediaSubscriber, OperationInput, OperationName, OperationOutput } from './media-client';

export function createIpcClient(api: MediaApi): MediaClient {
  return {
    kind: 'ipc',
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      const fn = api[name] as unknown as (input: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;
      let result: IpcResult<OperationOutput<N>>;
      try {
        result = await fn(input);
      } catch (error) {
        throw new ApiError('INTERNAL', error instanceof Error ? error.message : String(error));
      }
      if (result.ok) return result.value;
      throw ApiError.fromBody(result.error);
    },
    subscribe(subscriber: MediaSubscriber): () => void {
      // IPC delivers every event of this process: there is nothing to miss and nothing to reconnect.
      subscriber.onStatus?.('live');
      const off = api.onEvent((events) => subscriber.onEvents(events));
      return () => {
        off();
        subscriber.onStatus?.('closed');
      };
    },
  };
}
