/**
 * The model side of tagging: `@vladmandic/human` with two of the models its npm package ships in
 * `models/` — BlazeFace (face detector) and CenterNet on MobileNet v3 trained on COCO (80 object
 * classes, `person` among them) — loaded once per process from node_modules, nothing fetched.
 *
 * Backend, honestly:
 * - What runs here (and on any machine with only the npm packages of this project) is TensorFlow.js
 *   with the WASM backend (`@tensorflow/tfjs-backend-wasm`, its .wasm files ship in the package;
 *   SIMD, one thread). About 3 frames a second on 2 cores (see the bench). No GPU.
 * - GPU: when `@tensorflow/tfjs-node-gpu` is installed on the machine (it downloads libtensorflow
 *   with CUDA at install time, which is why it is not a dependency here), Human's `node-gpu` build
 *   runs with the `tensorflow` backend on the GPU; `@tensorflow/tfjs-node` alone gives the native
 *   CPU build. Both are picked up by resolving the package; neither path is exercised by the tests
 *   of this repository (no such install is possible on its machines), the WASM path is.
 *
 * The model runs in a worker thread (detector-worker-source.ts), one frame at a time:
 * - a frame is ~300 ms of synchronous kernels that never yield to the event loop (measured: not
 *   one 5-ms timer fired during 8 frames in-process), which would freeze the runtime's HTTP
 *   server, heartbeats and SSE for the whole detection phase of a job;
 * - the WASM module's loader installs process-wide `uncaughtException`/`unhandledRejection`
 *   listeners that rethrow; inside the worker they only concern the worker.
 * The thread's process.env is ours without secrets (childEnvironment). The worker holds the
 * event loop open only while a detection is pending (ref/unref). If it dies, pending detections
 * fail and the next job starts a new one.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { childEnvironment } from '../../system/child-environment';
import { DETECTOR_WORKER_SOURCE } from './detector-worker-source';
import type { RgbFrame } from './tag-pass';

export interface Detection {
  /** `face` (BlazeFace) or a COCO class name (CenterNet), e.g. `person`, `car`, `traffic light`. */
  readonly label: string;
  /** 0–1. */
  readonly score: number;
}

export interface FrameDetector {
  /** e.g. `Human 3.3.6 on tfjs 4.22.0, backend wasm (SIMD, 1 thread), CPU, in a worker thread: …`. */
  readonly description: string;
  readonly backend: string;
  detect(frame: RgbFrame): Promise<Detection[]>;
}

/** Detections under this never come back (the job's minConfidence filters further). */
export const DETECTION_FLOOR = 0.2;
const MODELS = ['blazeface', 'centernet'] as const;

// not named `require`: the bundle of the main process may declare one in the same chunk
const nodeRequire = createRequire(import.meta.url);

const resolves = (name: string): boolean => {
  try {
    nodeRequire.resolve(name);
    return true;
  } catch {
    return false;
  }
};

type Flavor = { build: string; backend: 'wasm' | 'tensorflow'; note: string };

/** Human's build for this machine: native GPU or CPU TensorFlow when installed, else WASM. */
function chooseFlavor(): Flavor {
  if (resolves('@tensorflow/tfjs-node-gpu')) return { build: 'human.node-gpu.js', backend: 'tensorflow', note: 'tfjs-node-gpu (CUDA GPU when found)' };
  if (resolves('@tensorflow/tfjs-node')) return { build: 'human.node.js', backend: 'tensorflow', note: 'native CPU (tfjs-node)' };
  return { build: 'human.node-wasm.js', backend: 'wasm', note: 'CPU' };
}

/** Paths inside node_modules (Human's `exports` map only exposes its root, so go by the file). */
export function modelPaths(): { distDir: string; modelDir: string; wasmDir: string } {
  const distDir = dirname(nodeRequire.resolve('@vladmandic/human'));
  return { distDir, modelDir: join(distDir, '..', 'models'), wasmDir: `${dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'))}/` };
}

/** Human's configuration: the two detectors, nothing else, no result reuse between frames. */
export function humanConfig(flavor: Flavor, paths: { modelDir: string; wasmDir: string }): Record<string, unknown> {
  return {
    backend: flavor.backend,
    wasmPath: paths.wasmDir,
    modelBasePath: `file://${paths.modelDir}/`,
    debug: false,
    cacheModels: false,
    cacheSensitivity: 0, // every sample is a different moment
    skipAllowed: false,
    warmup: 'none',
    filter: { enabled: false, return: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', maxDetected: 20, minConfidence: DETECTION_FLOOR, rotation: false, return: false, skipFrames: 0, skipTime: 0 },
      ...Object.fromEntries(['mesh', 'iris', 'emotion', 'description', 'antispoof', 'liveness', 'attention'].map((k) => [k, { enabled: false }])),
    },
    object: { enabled: true, modelPath: 'centernet.json', minConfidence: DETECTION_FLOOR, maxDetected: 20, skipFrames: 0, skipTime: 0 },
  };
}

interface Ready {
  type: 'ready';
  version: string;
  tfjs: string;
  backend: string;
  simd: boolean;
  multithread: boolean;
  loaded: string[];
}
type Answer = { id: number; detections?: Detection[]; error?: string };

let loading: Promise<FrameDetector> | null = null;

/** How the detector thread is started: its source is evaluated, and its process.env has no secrets. */
export function detectorWorkerOptions(workerData: unknown): WorkerOptions & { eval: true } {
  return { eval: true, name: 'tag-detector', workerData, env: childEnvironment() };
}

/** The process's detector, started on first use (a failed start is tried again next time). */
export function loadFrameDetector(): Promise<FrameDetector> {
  loading ??= startWorker().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

function startWorker(): Promise<FrameDetector> {
  const paths = modelPaths();
  const flavor = chooseFlavor();
  const worker = new Worker(
    DETECTOR_WORKER_SOURCE,
    detectorWorkerOptions({ humanBuild: join(paths.distDir, flavor.build), routeFiles: flavor.backend === 'wasm', config: humanConfig(flavor, paths) }),
  );
  const pending = new Map<number, { resolve: (d: Detection[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const failAll = (error: Error) => {
    loading = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  return new Promise<FrameDetector>((resolve, reject) => {
    worker.once('error', (error) => {
      reject(error);
      failAll(new Error(`the detector thread failed: ${error.message}`));
    });
    worker.once('exit', (code) => {
      reject(new Error(`the detector thread exited (${code}) while loading`));
      failAll(new Error(`the detector thread exited (${code})`));
    });
    worker.on('message', (message: Ready | { type: 'error'; message: string } | Answer) => {
      if ('type' in message) {
        if (message.type === 'error') {
          reject(new Error(message.message));
          void worker.terminate();
          return;
        }
        const missing = MODELS.filter((m) => !message.loaded.includes(m));
        if (missing.length) {
          reject(new Error(`Human could not load ${missing.join(', ')} from ${paths.modelDir}`));
          void worker.terminate();
          return;
        }
        worker.unref();
        const wasm = message.backend === 'wasm' ? ` (${message.simd ? 'SIMD' : 'no SIMD'}, ${message.multithread ? 'threads' : '1 thread'})` : '';
        resolve({
          description: `Human ${message.version} on tfjs ${message.tfjs}, backend ${message.backend}${wasm}, ${flavor.note}, in a worker thread: ${MODELS.join(', ')} (COCO)`,
          backend: message.backend,
          detect(frame) {
            return new Promise<Detection[]>((res, rej) => {
              const id = nextId++;
              pending.set(id, { resolve: res, reject: rej });
              if (pending.size === 1) worker.ref();
              const data = frame.data.slice().buffer; // a copy of this frame alone, moved to the thread
              worker.postMessage({ id, width: frame.width, height: frame.height, data }, [data]);
            });
          },
        });
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (pending.size === 0) worker.unref();
      if (message.error !== undefined || !Array.isArray(message.detections)) waiting.reject(new Error(`detection failed: ${message.error ?? 'no answer'}`));
      else waiting.resolve(message.detections.filter((d) => typeof d.label === 'string' && Number.isFinite(d.score)));
    });
  });
}
