/** Short-lived messages about what an action did ("3 jobs cancelled", "Could not retry: …"). */
import { createStore } from 'zustand/vanilla';

export interface Toast {
  readonly id: number;
  readonly color: 'green' | 'red' | 'blue' | 'yellow';
  readonly title: string;
  readonly message?: string;
}

export interface ToastState {
  readonly toasts: readonly Toast[];
  show(toast: Omit<Toast, 'id'>, ttlMs?: number): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const toastStore = createStore<ToastState>()((set, get) => ({
  toasts: [],
  show(toast, ttlMs = 5000) {
    const id = nextId++;
    set({ toasts: [...get().toasts, { ...toast, id }].slice(-4) });
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

export const showToast = (toast: Omit<Toast, 'id'>, ttlMs?: number) => toastStore.getState().show(toast, ttlMs);
