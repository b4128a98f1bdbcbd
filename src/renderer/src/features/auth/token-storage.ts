/** The web UI's API token, kept for this browser tab's session only (sessionStorage). */
const KEY = 'media-job-control.api-token';

export interface TokenStorage {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export function sessionTokenStorage(storage: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage): TokenStorage {
  return {
    get: () => {
      try {
        return storage?.getItem(KEY) ?? null;
      } catch {
        return null;
      }
    },
    set: (token) => {
      try {
        storage?.setItem(KEY, token);
      } catch {
        // private mode or storage disabled: the token lives as long as the page
      }
    },
    clear: () => {
      try {
        storage?.removeItem(KEY);
      } catch {
        // nothing to clear
      }
    },
  };
}
