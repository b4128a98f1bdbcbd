/**
 * Encodes that no GPU here could ever take run in software, unplaced (review of #18/#20): an AV1
 * transcode on a card whose NVENC has no AV1 must not wait for it forever, and a segmented encode's
 * chunks (always software) must take neither a GPU's VRAM nor its NVENC sessions from real
 * hardware encodes.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_USAGE, type NodeCapacity } from '../core/capacity';
import { encodesInSoftware, type GpuSlot } from '../core/gpu-placement';
import { schedule, type Candidate } from '../core/scheduler';
import { candidateGpuRequest } from './gpu-usage-rows';

let seq = 0;
/** A gpu_encode candidate of `type` with its params, built as both stores build it (candidateGpuRequest). */
function encode(type: string, params: Record<string, unknown> = {}, vramRequired = 3_000): Candidate {
  seq += 1;
  return { id: `${type}-${seq}`, seq, category: 'gpu_encode', priority: 5, vramRequired, waitingSince: 1_000, ...candidateGpuRequest(JSON.stringify(params), type, 'gpu_encode') };
}
/** A consumer card whose NVENC passed its probe for H.264 and HEVC only (no AV1 before Ada), 5 sessions. */
const gtx = (o: Partial<GpuSlot> = {}): GpuSlot => ({ index: 0, uuid: 'GPU-0', name: 'NVIDIA GeForce RTX 3080', budgetMb: 10_000, encodeSupported: true, sessionCap: 5, otherSessions: 0, encodeCodecs: ['h264', 'hevc'], ...o });
const cap = (gpus: GpuSlot[]): NodeCapacity => ({ limits: { cpu: 4, gpu_encode: 8, gpu_ai: 4 }, vramBudgetMb: gpus.reduce((s, g) => s + g.budgetMb, 0), queuePaused: false, pausedCategories: [], gpus });
const run = (candidates: Candidate[], capacity: NodeCapacity) => schedule({ capacity, usage: EMPTY_USAGE, candidates, now: 2_000, starvationGuardMs: 60_000 });
const placed = (r: ReturnType<typeof schedule>) => r.start.map((s) => [s.candidate.id, s.gpu?.index ?? null, s.vramReservedMb]);

describe('encodes no GPU here can take run in software', () => {
  it('the stores mark a segmented encode\'s parts as software-only', () => {
    expect(encodesInSoftware('encode_chunk')).toBe(true);
    expect(encodesInSoftware('encode_audio')).toBe(true);
    expect(encodesInSoftware('transcode')).toBe(false);
    expect(candidateGpuRequest('{"codec":"av1"}', 'encode_chunk', 'gpu_encode')).toMatchObject({ codec: 'av1', softwareOnly: true });
    expect(candidateGpuRequest('{"codec":"av1"}', 'transcode', 'gpu_encode')).not.toHaveProperty('softwareOnly');
  });

  it('an AV1 transcode on a card without AV1 NVENC starts at once, on no GPU, reserving nothing', () => {
    const r = run([encode('transcode', { codec: 'av1' })], cap([gtx()]));
    expect(r.waiting.size).toBe(0);
    expect(placed(r)).toEqual([[expect.stringMatching(/^transcode-/), null, 0]]);
    // an HEVC one still goes to the card's NVENC with its VRAM
    expect(placed(run([encode('transcode', { codec: 'hevc' })], cap([gtx()])))).toEqual([[expect.stringMatching(/^transcode-/), 0, 3_000]]);
  });

  it('a card elsewhere on the node that has AV1 NVENC takes it; a job pinned to the card without waits with that card\'s reason (never silently software)', () => {
    const other = gtx({ index: 1, uuid: 'GPU-1', name: 'NVIDIA GeForce RTX 4090', encodeCodecs: ['h264', 'hevc', 'av1'] });
    expect(placed(run([encode('transcode', { codec: 'av1' })], cap([gtx(), other])))).toEqual([[expect.stringMatching(/^transcode-/), 1, 3_000]]);
    const pinned = run([encode('transcode', { codec: 'av1', gpu: 0 })], cap([gtx(), other]));
    expect(pinned.start).toEqual([]);
    expect([...pinned.waiting.values()]).toEqual(['GPU 0: av1_nvenc failed its probe on NVIDIA GeForce RTX 3080']);
    const pinnedAlone = run([encode('transcode', { codec: 'av1', gpuModel: '3080' })], cap([gtx()]));
    expect([...pinnedAlone.waiting.values()]).toEqual(['GPU 0: av1_nvenc failed its probe on NVIDIA GeForce RTX 3080']);
  });

  it('chunks take no NVENC session: six of them and a real hardware encode all start on a 5-session card', () => {
    const chunks = Array.from({ length: 6 }, () => encode('encode_chunk', { codec: 'hevc' }));
    const r = run([...chunks, encode('transcode', { codec: 'hevc' })], cap([gtx({ otherSessions: 4 })]));
    expect(r.waiting.size).toBe(0);
    expect(placed(r).filter(([id]) => String(id).startsWith('encode_chunk')).every(([, gpu, mb]) => gpu === null && mb === 0)).toBe(true);
    expect(placed(r).find(([id]) => String(id).startsWith('transcode'))).toEqual([expect.any(String), 0, 3_000]);
  });
});
