/** Which confirmation dialog is open (cancel, set priority) and for which jobs. */
import { createStore } from 'zustand/vanilla';
import type { Job } from '../../../../shared/contracts/job';

export type DialogKind = 'cancel' | 'priority';

export interface ActionDialogState {
  readonly dialog: { readonly kind: DialogKind; readonly jobs: readonly Job[] } | null;
  open(kind: DialogKind, jobs: readonly Job[]): void;
  close(): void;
}

export const actionDialogStore = createStore<ActionDialogState>()((set) => ({
  dialog: null,
  open: (kind, jobs) => set({ dialog: { kind, jobs } }),
  close: () => set({ dialog: null }),
}));
