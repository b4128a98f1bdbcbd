/**
 * A fake `ffmpeg` for tests of GPU paths on a machine without a GPU: a small Node script that
 * records every call (its argument array and CUDA_VISIBLE_DEVICES) and answers per scripted GPU.
 *
 * A call that asks for the GPU (an `*_nvenc` encoder, `-hwaccel cuda`, `scale_cuda`) is matched to a
 * scripted GPU by CUDA_VISIBLE_DEVICES (UUID or index; unset: the first GPU) and fails with the
 * line real ffmpeg prints when that GPU lacks the feature (no NVENC for the codec, no NVDEC, no
 * scale_cuda) or when a run-time failure is scripted. Otherwise it runs the software equivalent
 * with the REAL ffmpeg (GPU options dropped, NVENC → the software encoder of the codec, scale_cuda →
 * scale), so the job gets a real output that its checks can verify; fd 3 (progress) is passed on.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeGpu {
  readonly index: number;
  readonly uuid: string;
  /** Codecs its NVENC encodes (default all three); [] for an H100-class card. */
  readonly nvenc?: readonly ('h264' | 'hevc' | 'av1')[];
  /** NVDEC works (default true). */
  readonly nvdec?: boolean;
  /** scale_cuda works (default true). */
  readonly scaleCuda?: boolean;
  /** A run-time failure of any run whose frames stay on the GPU (`-hwaccel_output_format cuda`). */
  readonly failFullGpu?: string;
  /** A run-time failure of any NVENC encode (after the probe passed). */
  readonly failNvenc?: string;
  /** Extra time every GPU run takes (ms). */
  readonly delayMs?: number;
}

export interface FakeCall {
  readonly device: string | null;
  readonly args: readonly string[];
}

export interface FakeGpuFfmpeg {
  readonly path: string;
  calls(): FakeCall[];
}

const SCRIPT = String.raw`
const fs = require('node:fs');
const cp = require('node:child_process');
const S = JSON.parse(fs.readFileSync(__SCENARIO__, 'utf8'));
const args = process.argv.slice(2);
const device = process.env.CUDA_VISIBLE_DEVICES ?? null;
fs.appendFileSync(S.log, JSON.stringify({ device, args }) + '\n');
const fail = (line) => { process.stderr.write(line + '\n'); process.exit(1); };
const cv = args.indexOf('-c:v');
const encoder = cv >= 0 ? args[cv + 1] : null;
const nvenc = encoder !== null && /_nvenc$/.test(encoder);
const hwaccel = args.includes('-hwaccel');
const frames = args.includes('-hwaccel_output_format');
const scaleCuda = args.some((a) => a.includes('scale_cuda'));
if (nvenc || hwaccel || scaleCuda) {
  const gpu = device === null ? S.gpus[0] : S.gpus.find((g) => g.uuid === device || String(g.index) === device);
  if (!gpu) fail('[AVHWDeviceContext @ 0x55d0c0] cu->cuInit(0) failed -> CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected');
  if (gpu.delayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, gpu.delayMs);
  if (nvenc && !(gpu.nvenc ?? ['h264', 'hevc', 'av1']).includes(encoder.replace('_nvenc', ''))) fail('[' + encoder + ' @ 0x55d0c1] OpenEncodeSessionEx failed: unsupported device (2): (no details)');
  if (hwaccel && gpu.nvdec === false) fail('[h264 @ 0x55d0c2] Hardware is lacking required capabilities');
  if (scaleCuda && gpu.scaleCuda === false) fail("[AVFilterGraph @ 0x55d0c3] No such filter: 'scale_cuda'");
  if (frames && gpu.failFullGpu) fail(gpu.failFullGpu);
  if (nvenc && gpu.failNvenc) fail(gpu.failNvenc);
}
const SOFTWARE = { h264_nvenc: ['libx264', 'ultrafast'], hevc_nvenc: ['libx265', 'ultrafast'], av1_nvenc: ['libsvtav1', '12'] };
const DROP = new Set(['-hwaccel', '-hwaccel_device', '-hwaccel_output_format', '-gpu', '-rc', '-cq']);
const out = [];
let sw = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (DROP.has(a)) { i++; continue; }
  if (a === '-c:v' && SOFTWARE[args[i + 1]]) { sw = SOFTWARE[args[i + 1]]; out.push('-c:v', sw[0]); i++; continue; }
  if (a === '-preset' && /^p\d$/.test(args[i + 1] ?? '')) { out.push('-preset', sw ? sw[1] : 'ultrafast'); i++; continue; }
  if (a === '-b:v' && args[i + 1] === '0') { i++; continue; }
  if (a === '-vf') { out.push('-vf', args[i + 1].replace(/scale_cuda=/g, 'scale=').replace(/,?hwdownload/g, '').replace(/^,/, '')); i++; continue; }
  out.push(a);
}
let fd3 = 'ignore';
try { fs.fstatSync(3); fd3 = 3; } catch {}
const r = cp.spawnSync(S.real, out, { stdio: ['ignore', 'inherit', 'inherit', fd3] });
process.exit(r.status === null ? 1 : r.status);
`;

/** Writes the fake into `dir` (its scenario beside it); `realFfmpeg` runs the software equivalent. */
export function writeFakeGpuFfmpeg(dir: string, gpus: readonly FakeGpu[], realFfmpeg = 'ffmpeg'): FakeGpuFfmpeg {
  const path = join(dir, 'ffmpeg');
  const scenario = join(dir, 'fake-ffmpeg-scenario.json');
  const log = join(dir, 'fake-ffmpeg-calls.jsonl');
  writeFileSync(scenario, JSON.stringify({ gpus, log, real: realFfmpeg }));
  writeFileSync(log, '');
  writeFileSync(path, `#!${process.execPath}\n${SCRIPT.replace('__SCENARIO__', JSON.stringify(scenario))}`);
  chmodSync(path, 0o755);
  return {
    path,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as FakeCall),
  };
}
