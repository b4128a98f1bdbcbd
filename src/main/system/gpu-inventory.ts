/**
 * One-off GPU inventory through systeminformation (vendor, model, VRAM of every adapter,
 * including those nvidia-smi does not see, e.g. Intel/AMD for VAAPI/QSV). It may run nvidia-smi
 * synchronously, so it is called once at start-up, never on a hot path; live VRAM comes from
 * the nvidia-smi sampler.
 *
 * systeminformation starts its tools (nvidia-smi, lspci, a shell …) with the process's own
 * environment and takes no `env` option, so it runs in a short-lived worker thread whose
 * process.env is childEnvironment(): the tools it starts inherit that, never our secrets. (The
 * thread also keeps its synchronous nvidia-smi off our event loop.)
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { childEnvironment } from './child-environment';

export interface GpuAdapter {
  readonly vendor: string;
  readonly model: string;
  readonly vramMb: number | null;
  readonly bus: string | null;
}

// not named `require`: the bundle of the main process may declare one in the same chunk
const nodeRequire = createRequire(import.meta.url);

const INVENTORY_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.systeminformation).graphics().then(
  ({ controllers }) => parentPort.postMessage({
    adapters: controllers.map((c) => ({ vendor: c.vendor, model: c.model, vramMb: c.vram ?? null, bus: c.bus || null })),
  }),
  (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
);
`;

export interface GpuInventoryOptions {
  /** Default 20 s. */
  readonly timeoutMs?: number;
  /** Tests: the file of a module standing in for systeminformation (its `graphics()` is called). */
  readonly systeminformationPath?: string;
}

/** Every adapter, or [] when the inventory fails or takes longer than `timeoutMs`. */
export async function readGpuInventory(options: GpuInventoryOptions = {}): Promise<GpuAdapter[]> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  let worker: Worker;
  try {
    worker = new Worker(INVENTORY_SOURCE, {
      eval: true,
      name: 'gpu-inventory',
      workerData: { systeminformation: options.systeminformationPath ?? nodeRequire.resolve('systeminformation') },
      env: childEnvironment(),
    });
  } catch {
    return [];
  }
  try {
    return await new Promise<GpuAdapter[]>((resolve) => {
      const timer = setTimeout(() => resolve([]), timeoutMs);
      const done = (adapters: GpuAdapter[]) => {
        clearTimeout(timer);
        resolve(adapters);
      };
      worker.once('message', (message: { adapters?: GpuAdapter[] }) => done(Array.isArray(message.adapters) ? message.adapters : []));
      worker.once('error', () => done([]));
      worker.once('exit', () => done([]));
    });
  } finally {
    void worker.terminate();
  }
}
