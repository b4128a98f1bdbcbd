import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { parseEnvLines, PLANTED_SECRETS, withPlantedSecrets } from '../../system/testing/secret-environment';
import { detectorWorkerOptions } from './detector';

// The real detector thread loads Human and two models (seconds); this starts a tiny thread with the
// very options the detector uses, and checks its process.env and that of a process it starts.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const { execFileSync } = require('node:child_process');
const grandchild = execFileSync(process.execPath, ['-e', workerData.script], { encoding: 'utf8' });
parentPort.postMessage({ env: { ...process.env }, grandchild, workerData });
`;

describe('detectorWorkerOptions', () => {
  it('starts the thread with our environment minus secrets, passed on to what it starts', async () => {
    const script = "for (const [k, v] of Object.entries(process.env)) console.log(k + '=' + v)";
    const { options, message } = await withPlantedSecrets(async () => {
      const options = detectorWorkerOptions({ script });
      const worker = new Worker(PROBE, options);
      try {
        const message = await new Promise<{ env: Record<string, string>; grandchild: string; workerData: unknown }>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
        return { options, message };
      } finally {
        await worker.terminate();
      }
    });
    expect(options).toMatchObject({ eval: true, name: 'tag-detector' });
    expect(message.workerData).toEqual({ script });
    const grandchild = parseEnvLines(message.grandchild.split('\n'));
    for (const name of Object.keys(PLANTED_SECRETS)) {
      expect(message.env[name], name).toBeUndefined();
      expect(grandchild.has(name), name).toBe(false);
    }
    expect(message.env.PATH).toBe(process.env.PATH);
    expect(grandchild.get('PATH')).toBe(process.env.PATH);
  });
});
