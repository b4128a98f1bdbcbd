/**
 * The renderer's root: in the desktop app the preload's `window.mediaApi` carries every call
 * (IPC); in a browser (headless mode) the user signs in with the API token and calls go over
 * HTTP with live events over SSE. Both reach the same screens through one MediaClient.
 */
import { useState } from 'react';
import { createIpcClient } from './api/ipc-client';
import { Session } from './app/Session';
import { WebSession } from './app/WebSession';

export function App() {
  const [ipc] = useState(() => (window.mediaApi ? createIpcClient(window.mediaApi) : null));
  return ipc ? <Session client={ipc} /> : <WebSession />;
}
