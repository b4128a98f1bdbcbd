/**
 * The code of the detector's worker thread, as CommonJS source for `new Worker(code, { eval: true })`
 * (detector.ts). A string on purpose: no bundler or test transform touches it, so it runs the
 * same from src/ under Vitest/tsx and from the electron-vite bundle in out/, with no extra entry
 * or asset to ship. It is kept to the few lines that must run where tfjs runs:
 * - require Human's build (an absolute path, from workerData) and construct it with the config
 *   the main thread built (typed there);
 * - on the WASM build, a load router for the `file://` model URLs that reads model.json and its
 *   weight shards with fs (tfjs would fetch() them, and Node's fetch cannot read files);
 * - init, load, report `ready` (or `error`), then one detection at a time per message
 *   { id, width, height, data: ArrayBuffer of RGB24 } → { id, detections } | { id, error }.
 * The main thread checks every answer's shape; the integration tests run this code for real.
 */
export const DETECTOR_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { readFile } = require('node:fs/promises');
const { dirname, join } = require('node:path');

async function readArtifacts(jsonPath) {
  const json = JSON.parse(await readFile(jsonPath, 'utf8'));
  const shards = [];
  for (const group of json.weightsManifest) for (const p of group.paths) shards.push(await readFile(join(dirname(jsonPath), p)));
  const all = Buffer.concat(shards);
  const { weightsManifest, ...rest } = json;
  return { ...rest, weightSpecs: weightsManifest.flatMap((g) => g.weights), weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
}

async function detect(human, m) {
  let tensor = null;
  try {
    tensor = human.tf.tensor4d(new Uint8Array(m.data), [1, m.height, m.width, 3], 'int32');
    const r = await human.detect(tensor);
    if (r.error) throw new Error(String(r.error));
    const detections = r.face.map((f) => ({ label: 'face', score: f.boxScore })).concat(r.object.map((o) => ({ label: o.label, score: o.score })));
    parentPort.postMessage({ id: m.id, detections });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: e && e.message ? e.message : String(e) });
  } finally {
    if (tensor) tensor.dispose();
  }
}

async function main() {
  const { Human } = require(workerData.humanBuild);
  const human = new Human(workerData.config);
  if (workerData.routeFiles) {
    const prefix = workerData.config.modelBasePath;
    human.tf.io.registerLoadRouter((url) => (typeof url === 'string' && url.startsWith(prefix) ? { load: () => readArtifacts(url.slice('file://'.length)) } : null));
  }
  await human.init();
  await human.load();
  const models = human.models.models;
  const wasm = human.env.wasm || {};
  parentPort.postMessage({
    type: 'ready',
    version: human.version,
    tfjs: human.tf.version['tfjs-core'] || '?',
    backend: human.tf.getBackend(),
    simd: Boolean(wasm.simd),
    multithread: Boolean(wasm.multithread),
    loaded: Object.keys(models).filter((k) => models[k]),
  });
  let queue = Promise.resolve();
  parentPort.on('message', (m) => {
    queue = queue.then(() => detect(human, m));
  });
}

main().catch((e) => parentPort.postMessage({ type: 'error', message: e && e.message ? e.message : String(e) }));
`;
