/** Checks a token with one real call; a refused token says so in words a person can act on. */
import { ApiError, isApiError } from '../../api/api-error';
import { createHttpClient, type HttpClientOptions } from '../../api/http-client';

export async function verifyToken(token: string, options: Omit<HttpClientOptions, 'token'> = {}): Promise<void> {
  const client = createHttpClient({ ...options, token, onUnauthorized: undefined });
  await client.call('getQueueState', {});
}

export function signInErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === 'UNAUTHORIZED') {
    return 'The server refused this token (401 UNAUTHORIZED). Copy it again from the api-token file in the data folder, or use the MEDIA_API_TOKEN the server was started with.';
  }
  if (isApiError(error) && error.code === 'NETWORK') return `The server could not be reached: ${error.message}`;
  if (error instanceof ApiError || error instanceof Error) return error.message;
  return String(error);
}
