/**
 * Live events of the runtime, pushed to the UI (IPC), the SSE stream and metrics. Listeners are
 * called synchronously; a listener that throws is isolated from the others and from the runtime.
 */
import type { MediaEvent } from '../../shared/contracts/events';

export type RuntimeEvent = MediaEvent;

export type RuntimeEventListener = (event: RuntimeEvent) => void;

export class EventBus {
  private readonly listeners = new Set<RuntimeEventListener>();

  subscribe(listener: RuntimeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('A runtime event listener failed:', error);
      }
    }
  }
}
