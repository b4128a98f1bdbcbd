/**
 * The model side of tagging: `@vladmandic/human` with two of the models its npm package ships in
 * `models/` — BlazeFace (face detector) and CenterNet on MobileNet v3 trained on COCO (80 object
 * classes, `person` among them) — loaded once per process from node_modules, nothing fetched.
 *
 * Backend, honestly:
 * - What runs here (and on any machine with only the npm packages of this project) is TensorFlow.js
 *   with the WASM backend (`@tensorflow/tfjs-backend-wasm`, its .wasm files ship in the package;
 *   SIMD, one thread in Node). About 3 frames a second on 2 cores (see the bench). No GPU.
 * - GPU: when `@tensorflow/tfjs-node-gpu` is installed on the machine (it downloads libtensorflow
 *   with CUDA at install time, which is why it is not a dependency here), Human's `node-gpu` build
 *   runs with the `tensorflow` backend on the GPU; `@tensorflow/tfjs-node` alone gives the native
 *   CPU build. Both are picked up by resolving the package; neither path is exercised by the tests
 *   of this repository (no such install is possible on its machines), the WASM path is.
 * - The model files are read with `fs` (a load router for `file://` URLs under the models folder):
 *   tfjs's own loader would `fetch()` them, and Node's fetch cannot read files.
 * Inference runs on the calling thread, one frame at a time (calls are queued): a frame blocks the
 * event loop for the model's synchronous kernels (tens of ms at a time on WASM).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RgbFrame } from './tag-pass';

export interface Detection {
  /** `face` (BlazeFace) or a COCO class name (CenterNet), e.g. `person`, `car`, `traffic light`. */
  readonly label: string;
  /** 0–1. */
  readonly score: number;
}

export interface FrameDetector {
  /** e.g. `Human 3.3.6 on tfjs 4.22.0, backend wasm (SIMD, 1 thread): blazeface, centernet`. */
  readonly description: string;
  readonly backend: string;
  detect(frame: RgbFrame): Promise<Detection[]>;
}

/** Detections under this never come back (the job's minConfidence filters further). */
export const DETECTION_FLOOR = 0.2;

// The few parts of Human and tfjs used here (Human's own typings pull in DOM types).
interface TensorLike {
  dispose(): void;
}
interface Tf {
  readonly version: Record<string, string>;
  getBackend(): string;
  tensor4d(values: Uint8Array, shape: [number, number, number, number], dtype: 'int32'): TensorLike;
  readonly io: { registerLoadRouter(router: (url: string | string[]) => unknown): void };
}
interface HumanResult {
  readonly face: readonly { readonly boxScore: number }[];
  readonly object: readonly { readonly label: string; readonly score: number }[];
  readonly error?: string | null;
}
interface HumanInstance {
  readonly version: string;
  readonly tf: Tf;
  readonly env: { readonly wasm: { readonly simd?: boolean; readonly multithread?: boolean } };
  readonly models: { readonly models: Record<string, unknown> };
  init(): Promise<void>;
  load(): Promise<void>;
  detect(input: TensorLike): Promise<HumanResult>;
}
type HumanModule = { Human: new (config: Record<string, unknown>) => HumanInstance };

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

interface WeightsManifest {
  readonly paths: readonly string[];
  readonly weights: readonly unknown[];
}

/** tfjs model artifacts of a graph model's model.json and its weight shards, read with fs. */
async function readArtifacts(jsonPath: string): Promise<Record<string, unknown>> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown> & { weightsManifest: WeightsManifest[] };
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) for (const p of group.paths) shards.push(await readFile(join(dirname(jsonPath), p)));
  const all = Buffer.concat(shards);
  const { weightsManifest, ...rest } = json;
  return { ...rest, weightSpecs: weightsManifest.flatMap((g) => g.weights), weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}

let loading: Promise<FrameDetector> | null = null;

/** The process's detector, loaded on first use (a failed load is tried again next time). */
export function loadFrameDetector(): Promise<FrameDetector> {
  loading ??= createDetector().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function createDetector(): Promise<FrameDetector> {
  const { distDir, modelDir, wasmDir } = modelPaths();
  const flavor = chooseFlavor();
  const { Human } = nodeRequire(join(distDir, flavor.build)) as HumanModule;
  const human = new Human({
    backend: flavor.backend,
    wasmPath: wasmDir,
    modelBasePath: `file://${modelDir}/`,
    debug: false,
    cacheModels: false,
    // every sample is a different moment: no result reuse between calls
    cacheSensitivity: 0,
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
      mesh: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    object: { enabled: true, modelPath: 'centernet.json', minConfidence: DETECTION_FLOOR, maxDetected: 20, skipFrames: 0, skipTime: 0 },
  });
  if (flavor.backend === 'wasm') {
    const prefix = `file://${modelDir}/`;
    human.tf.io.registerLoadRouter((url) => (typeof url === 'string' && url.startsWith(prefix) ? { load: () => readArtifacts(url.slice('file://'.length)) } : null));
  }
  await human.init();
  await human.load();
  const loaded = Object.keys(human.models.models).filter((k) => human.models.models[k]);
  const missing = ['blazeface', 'centernet'].filter((m) => !loaded.includes(m));
  if (missing.length) throw new Error(`Human could not load ${missing.join(', ')} from ${modelDir}`);
  const backend = human.tf.getBackend();
  const wasm = backend === 'wasm' ? ` (${human.env.wasm.simd ? 'SIMD' : 'no SIMD'}, ${human.env.wasm.multithread ? 'threads' : '1 thread'})` : '';
  const description = `Human ${human.version} on tfjs ${human.tf.version['tfjs-core'] ?? '?'}, backend ${backend}${wasm}, ${flavor.note}: blazeface, centernet (COCO)`;

  let queue: Promise<unknown> = Promise.resolve();
  const detectOne = async (frame: RgbFrame): Promise<Detection[]> => {
    const tensor = human.tf.tensor4d(frame.data, [1, frame.height, frame.width, 3], 'int32');
    try {
      const result = await human.detect(tensor);
      if (result.error) throw new Error(`detection failed: ${result.error}`);
      return [...result.face.map((f) => ({ label: 'face', score: f.boxScore })), ...result.object.map((o) => ({ label: o.label, score: o.score }))];
    } finally {
      tensor.dispose();
    }
  };
  return {
    description,
    backend,
    detect(frame) {
      const run = queue.then(() => detectOne(frame));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
