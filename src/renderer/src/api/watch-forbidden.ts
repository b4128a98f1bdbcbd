/**
 * A MediaClient that tells one listener about every 403 FORBIDDEN answer (the session then
 * re-reads its role and says so in a toast) and otherwise passes everything through unchanged.
 * A 403 never signs the user out: only a refused token (401) does.
 */
import { isForbidden } from '../lib/access';
import type { MediaClient, OperationInput, OperationName, OperationOutput } from './media-client';

export function watchForbidden(client: MediaClient, onForbidden: (error: unknown, operation: OperationName) => void): MediaClient {
  return {
    kind: client.kind,
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      try {
        return await client.call(name, input);
      } catch (error) {
        if (isForbidden(error)) onForbidden(error, name);
        throw error;
      }
    },
    subscribe: (subscriber) => client.subscribe(subscriber),
  };
}
